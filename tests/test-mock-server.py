#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""test-mock-server.py: the mock TensorsLab server, driven with curl.

Usage: test-mock-server.py PATH/TO/seedream-mock-server

Starts the server on a free loopback port and checks it against the API
contract (/work/shared/api): validation rules on both sides of each
boundary, authentication, a task's progress, the result PNGs (parsed
here, CRCs and zlib data included), every fault, realistic mode (each of
its rules) and --credits, the control endpoint, the log, and that the key
never shows up in any output. Prints TAP.

Only the Python standard library and curl. No timed assertions: waits are
generous, and the progress check only asserts what the clock proves.
"""

import datetime
import hashlib
import json
import os
import re
import secrets
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import zlib

SUBMIT = '/v1/images/seedreamv45'
SUBMIT_V5 = '/v1/images/seedreamv5'
SUBMIT_V4 = '/v1/images/seedreamv4'
QUERY = '/v1/images/infobytaskid'
DELETE = '/v1/images/deleteimagestask'

PRESET_SIZES = {
    '1:1': (2048, 2048), '4:3': (2304, 1728), '3:4': (1728, 2304),
    '16:9': (2560, 1440), '9:16': (1440, 2560), '3:2': (2496, 1664),
    '2:3': (1664, 2496), '2K': (2048, 2048), '4K': (4096, 4096),
}

PNG_SIGNATURE = b'\x89PNG\r\n\x1a\n'
GENEROUS_WAIT = 60.0


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def eq(actual, expected, what):
    if actual != expected:
        raise Failure(f'{what}: expected {expected!r}, got {actual!r}')


# ---------------------------------------------------------------- curl

class Response:
    def __init__(self, rc, status, headers, body, stderr):
        self.rc = rc
        self.status = status
        self.headers = headers
        self.body = body
        self.stderr = stderr

    def json(self):
        try:
            return json.loads(self.body)
        except ValueError as e:
            raise Failure(f'not JSON ({e}): {self.body[:200]!r}')

    def content_type(self):
        return self.headers.get('content-type', '')

    def __repr__(self):
        return f'<HTTP {self.status} rc={self.rc} {self.body[:160]!r}>'


class Curl:
    def __init__(self, workdir):
        self.workdir = workdir
        self.counter = 0

    def __call__(self, url, *args, max_time=GENEROUS_WAIT):
        self.counter += 1
        body_path = os.path.join(self.workdir, f'body-{self.counter}')
        head_path = os.path.join(self.workdir, f'head-{self.counter}')
        cmd = ['curl', '-s', '-S', '--max-time', str(max_time),
               '-o', body_path, '-D', head_path, '-w', '%{http_code}',
               *args, url]
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        status = int(proc.stdout.decode() or '0')
        headers = {}
        if os.path.exists(head_path):
            with open(head_path, 'rb') as f:
                for line in f.read().decode('latin-1').splitlines():
                    if ':' in line:
                        name, value = line.split(':', 1)
                        headers[name.strip().lower()] = value.strip()
            os.unlink(head_path)
        body = b''
        if os.path.exists(body_path):
            with open(body_path, 'rb') as f:
                body = f.read()
            os.unlink(body_path)
        return Response(proc.returncode, status, headers, body, proc.stderr)


# ---------------------------------------------------------------- the server

class Server:
    def __init__(self, exe, workdir, key, name, *args):
        self.key = key
        self.log_path = os.path.join(workdir, f'{name}.log')
        self.stderr_path = os.path.join(workdir, f'{name}.stderr')
        self.stderr = open(self.stderr_path, 'wb')
        self.proc = subprocess.Popen(
            [exe, '--port', '0', '--key', key, '--log', self.log_path,
             '--exit-on-stdin-eof', *args],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr)
        ready, _, _ = select.select([self.proc.stdout], [], [], GENEROUS_WAIT)
        check(ready, 'the server printed nothing')
        self.first_line = self.proc.stdout.readline().decode()
        match = re.fullmatch(r'(http://127\.0\.0\.1:(\d+))\n', self.first_line)
        check(match is not None, f'first stdout line is not the base URL: {self.first_line!r}')
        self.url = match.group(1)
        self.port = int(match.group(2))
        self.rest_of_stdout = b''

    def stop(self, sig=signal.SIGTERM):
        """Signals the server and returns its exit status."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            rc = self.proc.wait(timeout=GENEROUS_WAIT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise Failure(f'the server did not exit on {sig.name}')
        self.rest_of_stdout = self.proc.stdout.read()
        self.proc.stdout.close()
        self.proc.stdin.close()
        self.stderr.close()
        return rc

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


class Context:
    pass


ctx = Context()


def auth():
    return ['-H', f'Authorization: Bearer {ctx.key}']


def submit(*fields, headers=(), server=None, path=SUBMIT):
    """POSTs a form; fields are curl -F arguments such as 'prompt=a cat'."""
    args = list(auth()) + list(headers)
    for field in fields:
        args += ['-F', field]
    return ctx.curl((server or ctx.server).url + path, *args)


def post_json(path, document, headers=(), with_auth=True, raw=None, server=None):
    body = raw if raw is not None else json.dumps(document)
    args = ['-H', 'Content-Type: application/json', '--data-binary', body, *headers]
    if with_auth:
        args = list(auth()) + args
    return ctx.curl((server or ctx.server).url + path, *args)


def query(task_id, server=None):
    return post_json(QUERY, {'taskid': task_id}, server=server)


def control(method, path, document=None, server=None):
    args = ['-X', method]
    if document is not None:
        args += ['-H', 'Content-Type: application/json', '--data-binary', json.dumps(document)]
    return ctx.curl((server or ctx.server).url + path, *args)


def expect_code(response, code, what):
    eq(response.status, 200, f'{what}: HTTP status ({response!r})')
    document = response.json()
    eq(document.get('code'), code, f'{what}: code (msg {document.get("msg")!r})')
    check(isinstance(document.get('msg'), str), f'{what}: msg is a string')
    check(isinstance(document.get('data'), dict), f'{what}: data is an object')
    return document


def expect_refused(response, what, *words):
    document = expect_code(response, 9999, what)
    for word in words:
        check(word in document['msg'], f'{what}: msg {document["msg"]!r} does not name {word!r}')
    return document


def expect_task(response, what):
    document = expect_code(response, 1000, what)
    task_id = document['data'].get('taskid')
    check(isinstance(task_id, str) and re.fullmatch(r'mock_[0-9a-f]{16}', task_id),
          f'{what}: task id {task_id!r}')
    return task_id


def wait_for_status(task_id, wanted, server=None):
    deadline = time.monotonic() + GENEROUS_WAIT
    while True:
        document = expect_code(query(task_id, server), 1000, 'query')
        if document['data']['image_status'] == wanted:
            return document['data']
        check(time.monotonic() < deadline,
              f'task {task_id} never reached status {wanted}: {document}')
        time.sleep(0.05)


def check_server_memory():
    """The server's peak resident memory stays within a few hundred MiB."""
    try:
        with open(f'/proc/{ctx.server.proc.pid}/status') as f:
            peak = [int(line.split()[1]) // 1024 for line in f if line.startswith('VmHWM')]
    except OSError:
        return
    if peak:
        print(f'# server peak resident memory so far: {peak[0]} MiB')
        check(peak[0] < 300, f'the server peaked at {peak[0]} MiB')


def log_entries(server=None):
    response = ctx.curl((server or ctx.server).url + '/mock/log')
    eq(response.status, 200, 'GET /mock/log')
    entries = response.json()
    check(isinstance(entries, list), '/mock/log is an array')
    return entries


# ---------------------------------------------------------------- files

def write_file(name, data):
    path = os.path.join(ctx.workdir, name)
    with open(path, 'wb') as f:
        f.write(data)
    return path


def png_chunk(kind, data):
    return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data))


def tiny_png():
    ihdr = struct.pack('>IIBBBBB', 1, 1, 8, 2, 0, 0, 0)
    return (PNG_SIGNATURE + png_chunk(b'IHDR', ihdr) +
            png_chunk(b'IDAT', zlib.compress(b'\x00\xff\x00\x00')) + png_chunk(b'IEND', b''))


def parse_png(data):
    """Checks a PNG completely; returns (width, height, raw scanlines)."""
    check(data[:8] == PNG_SIGNATURE, f'PNG signature, got {data[:8]!r}')
    chunks = []
    pos = 8
    while pos < len(data):
        check(pos + 12 <= len(data), 'truncated chunk header')
        length, kind = struct.unpack('>I4s', data[pos:pos + 8])
        check(pos + 12 + length <= len(data), f'truncated {kind!r} chunk')
        body = data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack('>I', data[pos + 8 + length:pos + 12 + length])
        eq(crc, zlib.crc32(kind + body), f'CRC of the {kind!r} chunk')
        chunks.append((kind, body))
        pos += 12 + length
    eq(pos, len(data), 'bytes after the last chunk')
    eq(chunks[0][0], b'IHDR', 'first chunk')
    eq(chunks[-1], (b'IEND', b''), 'last chunk')
    width, height, depth, colour, compression, filtering, interlace = \
        struct.unpack('>IIBBBBB', chunks[0][1])
    eq((depth, colour, compression, filtering, interlace), (8, 2, 0, 0, 0),
       'IHDR depth, colour type, methods')
    idat = b''.join(body for kind, body in chunks if kind == b'IDAT')
    check(idat, 'no IDAT')
    raw = zlib.decompress(idat)
    stride = 1 + 3 * width
    eq(len(raw), height * stride, 'decompressed size')
    filters = set(raw[y * stride] for y in range(height))
    check(filters <= {0, 1, 2, 3, 4}, f'filter types {filters}')
    return width, height, raw


def first_row_pixels(width, raw):
    """Row 0 unfiltered (the row above row 0 is all zero)."""
    kind = raw[0]
    row = bytearray(raw[1:1 + 3 * width])
    if kind == 1:
        for i in range(3, len(row)):
            row[i] = (row[i] + row[i - 3]) & 0xff
    else:
        check(kind in (0, 2), f'row 0 filter {kind}')
    return row


# ---------------------------------------------------------------- tests

TESTS = []


def test(function):
    TESTS.append(function)
    return function


@test
def base_url_on_loopback_only():
    check(ctx.server.port > 0, 'a real port')
    # Bound to 127.0.0.1 itself, not to every address.
    r = ctx.curl(f'http://127.0.0.2:{ctx.server.port}/mock/log', max_time=10)
    eq(r.status, 0, 'an answer on 127.0.0.2')
    check(r.rc != 0, 'curl reached 127.0.0.2')
    eq(ctx.curl(ctx.server.url + '/mock/log').status, 200, 'GET /mock/log on 127.0.0.1')


@test
def key_required_both_forms_accepted():
    url = ctx.server.url + SUBMIT
    for headers, what in (([], 'no Authorization'),
                          (['-H', 'Authorization: Bearer wrong-key'], 'wrong Bearer key'),
                          (['-H', 'Authorization: wrong-key'], 'wrong raw key'),
                          (['-H', f'Authorization: Basic {ctx.key}'], 'another scheme'),
                          (['-H', f'Authorization: Bearer {ctx.key}x'], 'key with a suffix')):
        r = ctx.curl(url, *headers, '-F', 'prompt=a cat')
        eq(r.status, 401, what)
        document = r.json()
        eq(document.get('code'), 9999, f'{what}: code')
        check('Unauthorized' in document.get('msg', ''), f'{what}: msg {document.get("msg")!r}')
        eq(document.get('data'), {}, f'{what}: data')
    expect_task(ctx.curl(url, '-H', f'Authorization: Bearer {ctx.key}', '-F', 'prompt=a cat'),
                'Bearer key')
    expect_task(ctx.curl(url, '-H', f'Authorization: {ctx.key}', '-F', 'prompt=a cat'), 'raw key')
    eq(post_json(QUERY, {'taskid': 'x'}, with_auth=False).status, 401, 'query without key')
    eq(post_json(DELETE, {'taskids': []}, with_auth=False).status, 401, 'delete without key')


@test
def submission_creates_unique_tasks():
    png = write_file('source.png', tiny_png())
    first = expect_task(submit('prompt=a red bicycle', f'sourceImage=@{png}'), 'with a source')
    second = expect_task(submit('prompt=a red bicycle'), 'without a source')
    check(first != second, 'two submissions got the same task id')
    r = submit('prompt=x')
    eq(r.json()['msg'], 'Task created successfully', 'msg')


@test
def prompt_rules():
    expect_refused(submit('batchsize=1'), 'no prompt', 'prompt')
    expect_refused(submit('prompt='), 'empty prompt', 'prompt')
    expect_refused(submit(headers=['--form-string', 'prompt=  \t ']), 'blank prompt', 'prompt')
    expect_refused(submit('prompt=a', 'prompt=b'), 'two prompts', 'prompt')
    expect_task(submit('prompt=a'), 'one-letter prompt')


@test
def batchsize_rules():
    for value in ('0', '16', '100', 'abc', '1.5', '+3', '-1', '', ' 3', '3 ', '0x3', '1e1'):
        # --form-string: curl -F would trim the spaces.
        r = submit('prompt=a', headers=['--form-string', f'batchsize={value}'])
        expect_refused(r, f'batchsize {value!r}', 'batchsize', f"'{value}'")
    for value in ('1', '15', '7'):
        expect_task(submit('prompt=a', f'batchsize={value}'), f'batchsize {value}')


@test
def resolution_rules():
    for value in list(PRESET_SIZES) + ['2560x1440', '1440x2560', '1920x1920', '4096x4096',
                                       '3750x1250', '2560X1440']:
        expect_task(submit('prompt=a', f'resolution={value}'), f'resolution {value}')
    r = expect_refused(submit('prompt=a', 'resolution=1500x1500'), '1500x1500',
                       'resolution', '1500x1500', '2250000', '3686400')
    check('below' in r['msg'], f'1500x1500: {r["msg"]!r}')
    expect_refused(submit('prompt=a', 'resolution=2560x1439'), '2560x1439', 'resolution', '3683840')
    r = expect_refused(submit('prompt=a', 'resolution=4096x4097'), '4096x4097',
                       'resolution', '16781312', '16777216')
    check('above' in r['msg'], f'4096x4097: {r["msg"]!r}')
    expect_refused(submit('prompt=a', 'resolution=4097x4096'), '4097x4096', 'resolution')
    expect_refused(submit('prompt=a', 'resolution=0x5000'), '0x5000', 'resolution')
    for value in ('2k', '4k', '5:4', '1:2', '2560x', 'x1440', '2560*1440', '2560x1440x2',
                  '-2560x1440', '2560 x 1440', '', '1e4x1e3', '2560xX1440', ' 2K', '2K ',
                  '+2560x1440'):
        r = submit('prompt=a', headers=['--form-string', f'resolution={value}'])
        expect_refused(r, f'resolution {value!r}', 'resolution')


@test
def result_sizes_follow_resolution():
    cases = dict(PRESET_SIZES)
    cases['3750x1250'] = (3750, 1250)
    cases['2560X1440'] = (2560, 1440)
    cases[None] = (2048, 2048)
    for resolution, size in cases.items():
        fields = ['prompt=a'] + ([f'resolution={resolution}'] if resolution else [])
        task_id = expect_task(submit(*fields), f'resolution {resolution}')
        data = expect_code(query(task_id), 1000, 'query')['data']
        eq((data['width'], data['height']), size, f'size for {resolution or "the default"}')


@test
def category_and_image_url_rules():
    expect_task(submit('prompt=a', 'category=seedreamv45'), 'category seedreamv45')
    expect_refused(submit('prompt=a', 'category=seedreamv4'), 'category seedreamv4', 'category')
    expect_refused(submit('prompt=a', 'category='), 'empty category', 'category')
    for url in ('https://example.com/a.png', 'http://example.com/a.png'):
        expect_task(submit('prompt=a', f'imageUrl={url}'), f'imageUrl {url}')
    for url in ('ftp://example.com/a.png', 'example.com/a.png', 'https://', ''):
        expect_refused(submit('prompt=a', f'imageUrl={url}'), f'imageUrl {url!r}', 'imageUrl')


# The contract's "The sibling models in detail": each endpoint takes its own
# category and sizes, and refuses the others'.
SIBLINGS = (
    (SUBMIT_V5, 'seedreamv5', (2048, 2048),
     {'2K': (2048, 2048), '3K': (3072, 3072), '2560x1440': (2560, 1440),
      '16x650281': (16, 650281), '3225x3225': (3225, 3225)},
     ('4K', '1:1', '16:9', '3:2', '4096x4096', '3226x3226', '1x10404497', '2560x1439')),
    (SUBMIT_V4, 'seedreamv4', (2048, 2048),
     {'9:16': (1440, 2560), '16:9': (2560, 1440), '3:4': (1728, 2304),
      '4:3': (2304, 1728), '1:1': (2048, 2048)},
     ('2K', '4K', '3K', '3:2', '2:3', '2048x2048', '2560x1440')),
)


@test
def sibling_models():
    for path, category, default_size, good, bad in SIBLINGS:
        for resolution, size in good.items():
            task_id = expect_task(submit('prompt=a', f'category={category}', f'resolution={resolution}',
                                         path=path), f'{path} {resolution}')
            data = expect_code(query(task_id), 1000, 'query')['data']
            eq((data['width'], data['height']), size, f'{path}: size for {resolution}')
            eq(data['category'], category, f'{path}: category of the task')
        task_id = expect_task(submit('prompt=a', path=path), f'{path} without category or resolution')
        data = expect_code(query(task_id), 1000, 'query')['data']
        eq((data['width'], data['height']), default_size, f'{path}: the default size')
        eq(data['category'], category, f'{path}: the default category')
        for resolution in bad:
            expect_refused(submit('prompt=a', f'category={category}', f'resolution={resolution}', path=path),
                           f'{path} {resolution}', 'resolution')
        # Another model's category is not served here, nor this one's there.
        for other in ('seedreamv45', 'seedreamv5', 'seedreamv4'):
            if other != category:
                expect_refused(submit('prompt=a', f'category={other}', path=path),
                               f'{path} category {other}', 'category')
        expect_refused(submit('prompt=a', f'category={category}'), f'{SUBMIT} category {category}', 'category')
        # Batch 1-15 and the source limits as 4.5.
        expect_task(submit('prompt=a', 'batchsize=15', path=path), f'{path} batchsize 15')
        for value in ('0', '16'):
            expect_refused(submit('prompt=a', f'batchsize={value}', path=path), f'{path} batchsize {value}',
                           'batchsize')
        png = write_file('sibling.png', tiny_png())
        expect_refused(submit('prompt=a', 'batchsize=15', f'sourceImage=@{png}', path=path),
                       f'{path} 1 source + 15', 'sourceImage')
        expect_task(submit('prompt=a', 'batchsize=14', f'sourceImage=@{png}', path=path),
                    f'{path} 1 source + 14')
    paths = [entry.get('path') for entry in log_entries()]
    check(SUBMIT_V4 in paths and SUBMIT_V5 in paths, 'the log names the sibling endpoints')
    eq(submit('prompt=a', path='/v1/images/zimage').status, 404, 'zimage is not served')


@test
def source_image_rules():
    png = write_file('one.png', tiny_png())
    samples = {
        'a.jpg': b'\xff\xd8\xff\xe0' + bytes(64),
        'a.webp': b'RIFF' + struct.pack('<I', 76) + b'WEBPVP8 ' + bytes(64),
        'a.bmp': b'BM' + bytes(64),
        'a.tif': b'II*\x00' + bytes(64),
        'b.tif': b'MM\x00*' + bytes(64),
        'a.gif': b'GIF89a' + bytes(64),
        'b.gif': b'GIF87a' + bytes(64),
    }
    for name, data in samples.items():
        path = write_file(name, data)
        expect_task(submit('prompt=a', f'sourceImage=@{path}'), f'source {name}')

    text = write_file('notes.txt', b'just some notes, not a picture\n')
    expect_refused(submit('prompt=a', f'sourceImage=@{text};type=image/png'), 'a text file',
                   'sourceImage', 'notes.txt')
    wave = write_file('sound.webp', b'RIFF' + struct.pack('<I', 76) + b'WAVEfmt ' + bytes(64))
    expect_refused(submit('prompt=a', f'sourceImage=@{wave}'), 'RIFF but not WebP', 'sourceImage')
    rifx = write_file('rifx.webp', b'RIFX' + struct.pack('<I', 76) + b'WEBPVP8 ' + bytes(64))
    expect_refused(submit('prompt=a', f'sourceImage=@{rifx}'), 'WEBP but not RIFF', 'sourceImage')
    empty = write_file('empty.png', b'')
    expect_refused(submit('prompt=a', f'sourceImage=@{empty}'), 'an empty file', 'sourceImage')
    expect_refused(submit('prompt=a', 'sourceImage=not a file'), 'a text field', 'sourceImage')

    def sources(n):
        return [f'sourceImage=@{png}'] * n

    expect_task(submit('prompt=a', *sources(14)), '14 sources')
    expect_refused(submit('prompt=a', *sources(15)), '15 sources', 'sourceImage', '14')
    expect_refused(submit('prompt=a', 'batchsize=2', *sources(14)), '14 sources + 2',
                   'sourceImage', 'batchsize', '15')
    expect_task(submit('prompt=a', 'batchsize=5', *sources(10)), '10 sources + 5')
    expect_refused(submit('prompt=a', 'batchsize=6', *sources(10)), '10 sources + 6',
                   'sourceImage', '16')

    at_limit = write_file('limit.png', PNG_SIGNATURE + bytes(10_000_000 - len(PNG_SIGNATURE)))
    over = write_file('over.png', PNG_SIGNATURE + bytes(10_000_001 - len(PNG_SIGNATURE)))
    expect_task(submit('prompt=a', f'sourceImage=@{at_limit}'), 'a 10,000,000-byte source')
    expect_refused(submit('prompt=a', f'sourceImage=@{over}'), 'a 10,000,001-byte source',
                   'sourceImage', 'over.png', '10000000')


@test
def submission_must_be_multipart():
    expect_refused(post_json(SUBMIT, {'prompt': 'a cat'}), 'a JSON submission', 'multipart')
    r = ctx.curl(ctx.server.url + SUBMIT, *auth())
    eq(r.status, 405, 'GET on the submit endpoint')


@test
def task_progress_queued_processing_completed():
    # The server runs with --task-seconds 0.5: queued [0, 0.125), processing
    # [0.125, 0.5), completed after. Each answer is checked against what the
    # client's clock proves about the server's (submission between t0 and
    # t1, query between q0 and q1), so a slow machine cannot fail it.
    seconds = 0.5
    t0 = time.monotonic()
    task_id = expect_task(submit('prompt=a lighthouse at dusk', 'batchsize=2',
                                 'resolution=16:9'), 'submit')
    t1 = time.monotonic()
    seen = []
    deadline = t1 + GENEROUS_WAIT
    while True:
        q0 = time.monotonic()
        document = expect_code(query(task_id), 1000, 'query')
        q1 = time.monotonic()
        data = document['data']
        status = data['image_status']
        seen.append(status)
        earliest, latest = q0 - t1, q1 - t0
        if latest < seconds / 4:
            eq(status, 1, f'status at {earliest:.3f}..{latest:.3f} s')
        elif earliest >= seconds / 4 and latest < seconds:
            eq(status, 2, f'status at {earliest:.3f}..{latest:.3f} s')
        elif earliest >= seconds:
            eq(status, 3, f'status at {earliest:.3f}..{latest:.3f} s')
        if status == 3:
            break
        check(status in (1, 2), f'status {status}')
        check('url' not in data, f'url before completion: {data}')
        check(time.monotonic() < deadline, f'never completed: {seen}')
    print(f'# statuses seen: {seen}')
    eq(seen, sorted(seen), 'statuses go forward')
    eq(data['taskid'], task_id, 'taskid')
    check(re.fullmatch(r'\d{4}-\d\d-\d\d \d\d:\d\d:\d\d', data['starttime']),
          f'starttime {data["starttime"]!r}')
    # The service's local time, UTC+8, with no zone named (as it sends it).
    start = datetime.datetime.strptime(data['starttime'], '%Y-%m-%d %H:%M:%S').replace(
        tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
    skew = abs((datetime.datetime.now(datetime.timezone.utc) - start).total_seconds())
    check(skew < 60, f'starttime {data["starttime"]!r} read as UTC+8 is {skew:.0f} s from now')
    eq((data['width'], data['height']), (2560, 1440), 'size')
    eq(data['category'], 'seedreamv45', 'category')
    eq(data['prompt'], 'a lighthouse at dusk', 'prompt')
    eq(data['url'], [f'{ctx.server.url}/files/{task_id}/{n}.png' for n in (1, 2)], 'url')
    ctx.completed_task = task_id


@test
def result_pngs_are_real_and_need_no_key():
    task_id = ctx.completed_task
    images = []
    for n in (1, 2):
        r = ctx.curl(f'{ctx.server.url}/files/{task_id}/{n}.png')
        eq(r.status, 200, f'image {n}')
        eq(r.content_type(), 'image/png', f'image {n} content type')
        width, height, raw = parse_png(r.body)
        eq((width, height), (2560, 1440), f'image {n} IHDR size')
        row = first_row_pixels(width, raw)
        eq(row[0], 0, 'red at the left edge')
        eq(row[3 * (width - 1)], 255, 'red at the right edge')
        images.append(r.body)
    check(images[0] != images[1], 'the two images of a task are the same')
    for path in (f'/files/{task_id}/3.png', f'/files/{task_id}/0.png',
                 f'/files/{task_id}/1.jpg', '/files/mock_0000000000000000/1.png'):
        eq(ctx.curl(ctx.server.url + path).status, 404, path)
    pending = expect_task(submit('prompt=a'), 'submit')
    status = expect_code(query(pending), 1000, 'query')['data']['image_status']
    if status != 3:
        eq(ctx.curl(f'{ctx.server.url}/files/{pending}/1.png').status, 404,
           'a result before completion')
    downloads = [e for e in log_entries()
                 if e['path'] == f'/files/{task_id}/1.png']
    check(downloads, 'the download is in the log')
    eq(downloads[0]['authorization_sent'], False, 'Authorization sent to the file host')
    eq(downloads[0]['authorized'], False, 'key sent to the file host')
    eq(downloads[0]['status'], 200, 'logged status')


@test
def result_4k_png():
    task_id = expect_task(submit('prompt=a', 'resolution=4K'), 'submit 4K')
    data = wait_for_status(task_id, 3)
    r = ctx.curl(data['url'][0])
    eq(r.status, 200, '4K download')
    width, height, raw = parse_png(r.body)
    eq((width, height), (4096, 4096), '4K size')
    print(f'# 4096x4096 PNG: {len(r.body)} bytes')
    check_server_memory()


@test
def query_errors():
    r = expect_refused(query('mock_ffffffffffffffff'), 'an unknown task')
    eq(r['msg'], 'task not found', 'msg')
    for raw in ('{"taskid":', 'not json', '{}', '{"taskid": 5}', '["mock_1"]', ''):
        r = post_json(QUERY, None, raw=raw)
        eq(r.status, 400, f'query body {raw!r}')
    eq(ctx.curl(ctx.server.url + QUERY, *auth()).status, 405, 'GET on the query endpoint')


@test
def delete_tasks():
    first = expect_task(submit('prompt=a'), 'submit')
    second = expect_task(submit('prompt=b'), 'submit')
    r = expect_code(post_json(DELETE, {'taskids': [first, second]}), 1000, 'delete')
    eq(r['data'], {'status': 'Success'}, 'data')
    expect_refused(query(first), 'a deleted task', 'task not found')
    expect_refused(query(second), 'a deleted task', 'task not found')
    for raw in ('not json', '{}', '{"taskids": "mock_1"}', '{"taskids": [1]}', '{"taskids":', '{"taskids": []}'):
        eq(post_json(DELETE, None, raw=raw).status, 400, f'delete body {raw!r}')
    # An unknown id (here one just deleted) refuses the whole request.
    third = expect_task(submit('prompt=c'), 'submit')
    eq(post_json(DELETE, {'taskids': [third, first]}).status, 400, 'delete with an unknown id')
    expect_code(query(third), 1000, 'a task kept by a refused delete')


def json_failure(code, msg):
    def checker(r):
        expect_refused(r, 'fault') if code == 9999 else expect_code(r, code, 'fault')
        eq(r.json()['msg'], msg, 'msg')
    return checker


def http_status(status, html=False, json_code=None):
    def checker(r):
        eq(r.status, status, 'HTTP status')
        if html:
            check(r.content_type().startswith('text/html'), f'content type {r.content_type()}')
            check(b'<html' in r.body, 'an HTML page')
        if json_code is not None:
            eq(r.json()['code'], json_code, 'code')
    return checker


def retry_after(r):
    http_status(429)(r)
    eq(r.headers.get('retry-after'), '2', 'Retry-After')


def malformed(r):
    eq(r.status, 200, 'HTTP status')
    eq(r.body, b'{"code":1000,"msg":', 'body')
    try:
        json.loads(r.body)
    except ValueError:
        return
    raise Failure('the malformed body parsed')


def html_page(r):
    http_status(200, html=True)(r)


def empty(r):
    eq(r.status, 200, 'HTTP status')
    eq(r.body, b'', 'body')


def missing_taskid(r):
    document = expect_code(r, 1000, 'missing-taskid')
    eq(document['data'], {}, 'data')


def empty_data(r):
    document = expect_code(r, 1000, 'empty-data')
    eq(document['data'], {}, 'data')
    eq(document['msg'], 'Successfully', 'msg')


def other_taskid(r):
    data = expect_code(r, 1000, 'other-taskid')['data']
    eq((data['taskid'], data['image_status'], len(data['url'])), ('mock_0000000000000000', 3, 1), 'data')
def envelope_only(status, code, msg_start, with_data):
    """A refusal as the live service sends it: the envelope as the body of
    any status, with or without data."""
    def checker(r):
        eq(r.status, status, 'HTTP status')
        check(r.content_type().startswith('application/json'), f'content type {r.content_type()}')
        document = r.json()
        eq(document.get('code'), code, 'code')
        check(document.get('msg', '').startswith(msg_start), f'msg {document.get("msg")!r}')
        eq('data' in document, with_data, 'has data')
    return checker


RESPONSE_FAULTS = {
    'http-500': http_status(500),
    'http-502': http_status(502, html=True),
    'http-503': http_status(503, html=True),
    'http-401': http_status(401, json_code=9999),
    'http-403': http_status(403),
    'http-404': http_status(404),
    'http-408': http_status(408),
    'http-413': http_status(413),
    'http-429': retry_after,
    'code-9999': json_failure(9999, 'internal error: model overloaded'),
    'code-9000': json_failure(9000, 'insufficient credits'),
    'malformed-json': malformed,
    'html-page': html_page,
    'empty-body': empty,
    'missing-taskid': missing_taskid,
    'taskid-dotdot': lambda r: eq(expect_code(r, 1000, 'taskid-dotdot')['data'], {'taskid': '..'}, 'data'),
    'taskid-long': lambda r: eq(len(expect_code(r, 1000, 'taskid-long')['data']['taskid']), 256, 'id length'),
    'empty-data': empty_data,
    'other-taskid': other_taskid,
    'refused-prompt': envelope_only(400, 9999, 'The prompt was refused', with_data=True),
    'bad-size': envelope_only(400, 9999, 'Invalid size', with_data=True),
    'code-9000-bare': envelope_only(200, 9000, 'Insufficient credits', with_data=False),
    'http-402-credits': envelope_only(402, 9000, 'Insufficient credits', with_data=False),
}

OTHER_FAULTS = {'huge-body', 'stall', 'close-during-upload', 'task-fails', 'result-404',
                'result-not-image', 'missing-status', 'no-images', 'fewer-images', 'fails-bare',
                'slow-answer', 'result-jpeg-presigned', 'many-urls', 'result-huge', 'result-trickle', 'answer-trickle'}


@test
def every_fault_is_tested():
    r = submit('prompt=a', headers=['-H', 'X-Mock-Fault: no-such-fault'])
    eq(r.status, 400, 'an unknown fault')
    msg = r.json()['msg']
    check('no-such-fault' in msg, f'msg {msg!r}')
    names = set(msg.split('known faults: ', 1)[1].split())
    eq(names, set(RESPONSE_FAULTS) | OTHER_FAULTS, 'the fault table')


@test
def response_faults_by_header():
    for name, checker in RESPONSE_FAULTS.items():
        for path, make in ((SUBMIT, lambda h: submit('prompt=a', headers=h)),
                           (QUERY, lambda h: post_json(QUERY, {'taskid': 'x'}, headers=h))):
            r = make(['-H', f'X-Mock-Fault: {name}'])
            try:
                checker(r)
            except Failure as e:
                raise Failure(f'{name} on {path}: {e} ({r!r})')
    expect_task(submit('prompt=a'), 'no fault afterwards')


@test
def fault_queue():
    r = control('POST', '/mock/faults', {'fault': 'http-503', 'count': 2})
    eq(r.status, 200, 'queue http-503')
    eq(submit('prompt=a').status, 503, 'first')
    eq(post_json(QUERY, {'taskid': 'x'}).status, 503, 'second (any API path)')
    expect_task(submit('prompt=a'), 'third')

    eq(control('POST', '/mock/faults', {'fault': 'code-9000', 'path': QUERY}).status, 200, 'queue')
    task_id = expect_task(submit('prompt=a'), 'a submission is not the queued path')
    json_failure(9000, 'insufficient credits')(query(task_id))
    expect_code(query(task_id), 1000, 'the fault was used up')

    done = wait_for_status(task_id, 3)
    eq(control('POST', '/mock/faults', {'fault': 'http-500', 'path': '/files/'}).status, 200, 'queue')
    eq(ctx.curl(done['url'][0]).status, 500, 'download under the fault')
    eq(ctx.curl(done['url'][0]).status, 200, 'download after the fault')

    eq(control('POST', '/mock/faults', {'fault': 'http-502', 'count': 5}).status, 200, 'queue')
    eq(control('DELETE', '/mock/faults').status, 200, 'clear')
    expect_task(submit('prompt=a'), 'after clearing')

    for document in ({'fault': 'nope'}, {'count': 1}, {'fault': 'http-500', 'count': 0},
                     {'fault': 'http-500', 'count': 'two'}, {'fault': 'http-500', 'path': 'v1'}):
        eq(control('POST', '/mock/faults', document).status, 400, f'bad control body {document}')
    expect_task(submit('prompt=a'), 'nothing queued by bad bodies')

    # The header goes before the queue.
    control('POST', '/mock/faults', {'fault': 'http-500'})
    eq(submit('prompt=a', headers=['-H', 'X-Mock-Fault: http-404']).status, 404, 'header first')
    eq(submit('prompt=a').status, 500, 'then the queue')


@test
def huge_body():
    r = submit('prompt=a', headers=['-H', 'X-Mock-Fault: huge-body'])
    eq(r.status, 200, 'status')
    eq(len(r.body), 50 * 1024 * 1024, 'size')
    check(r.body.startswith(b'{"code":1000,"msg":"'), 'JSON-like start')
    check(r.body.endswith(b'","data":{}}'), 'JSON-like end')
    check_server_memory()


@test
def stall_until_the_client_leaves():
    start = time.monotonic()
    r = ctx.curl(ctx.server.url + SUBMIT, *auth(), '-H', 'X-Mock-Fault: stall',
                 '-F', 'prompt=stalled briefly', max_time=2)
    eq(r.rc, 28, f'curl timed out ({r.stderr!r})')
    eq(r.status, 0, 'no answer')
    print(f'# stalled request given up after {time.monotonic() - start:.1f} s')
    expect_task(submit('prompt=a'), 'the server still answers')
    deadline = time.monotonic() + GENEROUS_WAIT
    while True:
        stalled = [e for e in log_entries() if e['fields'].get('prompt') == 'stalled briefly']
        if stalled:
            break
        check(time.monotonic() < deadline, 'the stalled request never reached the log')
        time.sleep(0.1)
    eq(stalled[0]['fault'], 'stall', 'fault')
    eq(stalled[0]['status'], None, 'status')


@test
def close_during_upload():
    big = write_file('upload.png', PNG_SIGNATURE + os.urandom(4 * 1024 * 1024))
    for expect in (['-H', 'Expect:'], []):
        r = ctx.curl(ctx.server.url + SUBMIT, *auth(), '-H', 'X-Mock-Fault: close-during-upload',
                     *expect, '-F', 'prompt=a', '-F', f'sourceImage=@{big}')
        what = 'without Expect' if expect else 'with Expect: 100-continue'
        check(r.rc != 0, f'{what}: curl succeeded ({r!r})')
        # With Expect, curl reports the "100 Continue" it got before the close.
        check(r.status in (0, 100), f'{what}: an answer ({r!r})')
        print(f'# {what}: curl exit {r.rc}: {r.stderr.decode().strip()}')
    expect_task(submit('prompt=a'), 'the server still answers')
    closed = [e for e in log_entries() if e['fault'] == 'close-during-upload']
    eq(len(closed), 2, 'logged')
    eq([e['status'] for e in closed], [None, None], 'logged status')


@test
def task_faults():
    task_id = expect_task(submit('prompt=a', headers=['-H', 'X-Mock-Fault: task-fails']),
                          'task-fails submission')
    data = wait_for_status(task_id, 4)
    eq(data['error_message'], 'content refused by moderation', 'error_message')
    check('url' not in data, 'url of a failed task')

    task_id = expect_task(submit('prompt=a', headers=['-H', 'X-Mock-Fault: result-404']),
                          'result-404 submission')
    data = wait_for_status(task_id, 3)
    eq(ctx.curl(data['url'][0]).status, 404, 'result-404 download')

    task_id = expect_task(submit('prompt=a', headers=['-H', 'X-Mock-Fault: result-not-image']),
                          'result-not-image submission')
    data = wait_for_status(task_id, 3)
    r = ctx.curl(data['url'][0])
    eq(r.status, 200, 'result-not-image download')
    check(r.content_type().startswith('text/plain'), f'content type {r.content_type()}')
    eq(r.body, b'not an image', 'body')

    # A queued task fault waits for a submission.
    eq(control('POST', '/mock/faults', {'fault': 'result-404'}).status, 200, 'queue')
    expect_refused(query('mock_0123456789abcdef'), 'a query in between')
    task_id = expect_task(submit('prompt=a'), 'the submission that takes it')
    data = wait_for_status(task_id, 3)
    eq(ctx.curl(data['url'][0]).status, 404, 'queued result-404')

    # Finished without images: status 3, url [].
    task_id = expect_task(submit('prompt=a', 'batchsize=2', headers=['-H', 'X-Mock-Fault: no-images']),
                          'no-images submission')
    data = wait_for_status(task_id, 3)
    eq(data['url'], [], 'no-images url')
    eq(ctx.curl(f'{ctx.server.url}/files/{task_id}/1.png').status, 404, 'no-images: no file')

    # Fewer than asked: half, rounded up, at least one.
    for batch, expected in ((4, 2), (3, 2), (1, 1)):
        task_id = expect_task(submit('prompt=a', f'batchsize={batch}',
                                     headers=['-H', 'X-Mock-Fault: fewer-images']), 'fewer-images submission')
        data = wait_for_status(task_id, 3)
        eq(data['url'], [f'{ctx.server.url}/files/{task_id}/{n}.png' for n in range(1, expected + 1)],
           f'fewer-images url of batch {batch}')
        eq(ctx.curl(data['url'][-1]).status, 200, 'fewer-images: the last listed file')
        if expected < batch:
            eq(ctx.curl(f'{ctx.server.url}/files/{task_id}/{expected + 1}.png').status, 404,
               'fewer-images: no file beyond the list')

    # Failed, with nothing but taskid, image_status and error_message.
    task_id = expect_task(submit('prompt=a', headers=['-H', 'X-Mock-Fault: fails-bare']),
                          'fails-bare submission')
    data = wait_for_status(task_id, 4)
    eq(sorted(data), ['error_message', 'image_status', 'taskid'], 'fails-bare members')
    eq(data['error_message'], 'source image rejected by the safety check', 'fails-bare error_message')
    eq(control('POST', f'/mock/tasks/{task_id}/heal').status, 200, 'heal fails-bare')
    eq(wait_for_status(task_id, 3)['url'], [f'{ctx.server.url}/files/{task_id}/1.png'], 'healed')

    task_id = expect_task(submit('prompt=a'), 'submit')
    r = control('POST', f'/mock/tasks/{task_id}/fail', {'error_message': 'GPU on fire'})
    eq(r.status, 200, 'fail a task')
    data = expect_code(query(task_id), 1000, 'query')['data']
    eq((data['image_status'], data['error_message']), (4, 'GPU on fire'), 'failed task')
    eq(control('POST', '/mock/tasks/mock_0123456789abcdef/fail', {}).status, 404, 'unknown task')


@test
def query_faults_while_a_task_starts():
    task_id = expect_task(submit('prompt=a'), 'submit')
    # missing-status: the task's own taskid and starttime, no image_status.
    data = expect_code(post_json(QUERY, {'taskid': task_id}, headers=['-H', 'X-Mock-Fault: missing-status']),
                       1000, 'missing-status')['data']
    eq(sorted(data), ['starttime', 'taskid'], 'missing-status members')
    eq(data['taskid'], task_id, 'missing-status taskid')
    # Other requests that take it are answered as usual.
    expect_task(submit('prompt=a', headers=['-H', 'X-Mock-Fault: missing-status']), 'missing-status on a submit')

    # Queued on the query path: a submission passes; the next queries take them.
    for name in ('empty-data', 'missing-status', 'code-9999'):
        eq(control('POST', '/mock/faults', {'fault': name, 'path': QUERY}).status, 200, f'queue {name}')
    task_id = expect_task(submit('prompt=a'), 'a submission is not the queued path')
    eq(expect_code(query(task_id), 1000, 'empty-data')['data'], {}, 'queued empty-data')
    check('image_status' not in expect_code(query(task_id), 1000, 'missing-status')['data'],
          'queued missing-status')
    expect_refused(query(task_id), 'queued code-9999')
    check('image_status' in expect_code(query(task_id), 1000, 'after the faults')['data'], 'then as usual')


@test
def slow_answer_holds_one_request_only():
    server = Server(ctx.exe, ctx.workdir, ctx.key, 'slow', '--slow-answer-seconds', '1.5',
                    '--task-seconds', '0')
    ctx.others.append(server)
    slow = {}

    def send_slow():
        start = time.monotonic()
        slow['response'] = submit('prompt=slow one', headers=['-H', 'X-Mock-Fault: slow-answer'],
                                  server=server)
        slow['seconds'] = time.monotonic() - start

    thread = threading.Thread(target=send_slow)
    thread.start()
    time.sleep(0.3)
    start = time.monotonic()
    expect_task(submit('prompt=fast one', server=server), 'a submission meanwhile')
    check(time.monotonic() - start < 1.0, 'the other request waited for the slow one')
    thread.join(GENEROUS_WAIT)
    expect_task(slow['response'], 'the slow answer')
    check(slow['seconds'] >= 1.4, f'answered after {slow["seconds"]:.1f} s, not 1.5')
    entries = [e for e in log_entries(server) if e['fields'].get('prompt') == 'slow one']
    eq(len(entries), 1, 'one submission logged')
    eq((entries[0]['fault'], entries[0]['status']), ('slow-answer', 200), 'logged')


def jpeg_size(data):
    """Width and height from a JPEG's SOF0 segment."""
    check(data[:3] == b'\xff\xd8\xff', 'a JPEG signature')
    check(data.endswith(b'\xff\xd9'), 'an end of image')
    i = 2
    while i + 4 <= len(data):
        check(data[i] == 0xff, f'a marker at {i}')
        marker = data[i + 1]
        length = struct.unpack('>H', data[i + 2:i + 4])[0]
        if marker == 0xc0:
            height, width = struct.unpack('>HH', data[i + 5:i + 9])
            return width, height
        i += 2 + length
    raise Failure('no SOF0 segment')


@test
def result_jpeg_presigned():
    task_id = expect_task(submit('prompt=a', 'resolution=16:9', 'batchsize=2',
                                 headers=['-H', 'X-Mock-Fault: result-jpeg-presigned']),
                          'result-jpeg-presigned submission')
    data = wait_for_status(task_id, 3)
    eq(len(data['url']), 2, 'two URLs')
    for n, url in enumerate(data['url'], 1):
        check(re.search(rf'/files/{task_id}/{n}\.jpeg\?X-Tos-Algorithm=TOS4-HMAC-SHA256&', url),
              f'a pre-signed URL: {url}')
        check('%2F20261202%2Fcn-beijing%2Ftos%2Frequest' in url, f'an encoded credential: {url}')
        check(re.search(r'X-Tos-Signature=[0-9a-f]{64}$', url), f'a signature: {url}')
        r = ctx.curl(url)
        eq(r.status, 200, 'as issued')
        check(r.content_type().startswith('image/jpeg'), f'content type {r.content_type()}')
        eq(jpeg_size(r.body), (data['width'], data['height']), 'the task\'s size')
        # Decoded, or with another signature, it is refused.
        eq(ctx.curl(url.replace('%2F', '/')).status, 403, 'query decoded')
        eq(ctx.curl(url[:-1] + ('0' if url[-1] != '0' else '1')).status, 403, 'signature changed')
        eq(ctx.curl(url.split('?')[0]).status, 403, 'no query')
    # The PNG address of a JPEG task is not there.
    eq(ctx.curl(f'{ctx.server.url}/files/{task_id}/1.png').status, 404, 'no PNG')
    tool = shutil.which('djpeg')
    if tool:
        path = write_file('result.jpeg', ctx.curl(data['url'][0]).body)
        check(subprocess.run([tool, '-outfile', os.devnull, path]).returncode == 0, 'djpeg decodes it')


# ---------------------------------------------------------------- realistic mode

REALISTIC_DELAY = 0.5


def realistic_server():
    """One server in realistic mode for these tests, with a short answer delay."""
    if getattr(ctx, 'realistic', None) is None:
        ctx.realistic = Server(ctx.exe, ctx.workdir, ctx.key, 'realistic', '--realistic',
                               '--task-seconds', '0.5',
                               '--answer-delay-seconds', str(REALISTIC_DELAY))
        ctx.others.append(ctx.realistic)
    return ctx.realistic


def expect_http_refusal(response, status, code, what, *words):
    """A refusal as the live service sends it: HTTP 4xx, the envelope as the body."""
    eq(response.status, status, f'{what}: HTTP status ({response!r})')
    check(response.content_type().startswith('application/json'), f'{what}: content type')
    document = response.json()
    eq(document.get('code'), code, f'{what}: code')
    for word in words:
        check(word in document['msg'], f'{what}: msg {document["msg"]!r} does not name {word!r}')
    return document


def realistic_answers(task_id, server, n):
    """The next n infobytaskid answers about task_id, as (code, data)."""
    answers = []
    for _ in range(n):
        r = query(task_id, server)
        eq(r.status, 200, 'a query in realistic mode')
        document = r.json()
        check(isinstance(document.get('data'), dict), f'data is an object: {document}')
        answers.append((document['code'], document['data']))
    return answers


@test
def realistic_submission_is_answered_late_and_refused_with_http_400():
    server = realistic_server()
    start = time.monotonic()
    task_id = expect_task(submit('prompt=a', server=server), 'a realistic submission')
    check(time.monotonic() - start >= REALISTIC_DELAY - 0.05,
          f'answered after {time.monotonic() - start:.2f} s, not {REALISTIC_DELAY}')
    # The mock's own rules refuse with HTTP 400 and the envelope.
    start = time.monotonic()
    expect_http_refusal(submit('prompt=a', 'resolution=1500x1500', server=server), 400, 9999,
                        'a bad size', 'resolution', '1500x1500')
    check(time.monotonic() - start >= REALISTIC_DELAY - 0.05, 'a refusal takes its time too')
    expect_http_refusal(submit('prompt=', server=server), 400, 9999, 'an empty prompt', 'prompt')
    expect_http_refusal(submit('prompt=a', 'batchsize=16', server=server), 400, 9999,
                        'batchsize 16', 'batchsize')
    expect_http_refusal(post_json(SUBMIT, {'prompt': 'a'}, server=server), 400, 9999,
                        'a JSON body', 'multipart')
    # The content-policy marker: refused at once, as the refused-prompt fault.
    expect_http_refusal(submit('prompt=A cat, MOCK-POLICY', server=server), 400, 9999,
                        'the mock-policy marker', 'prompt was refused')
    # A fault still answers the request it takes, at once.
    start = time.monotonic()
    expect_refused(submit('prompt=a', headers=['-H', 'X-Mock-Fault: code-9999'], server=server),
                   'a fault in realistic mode')
    check(time.monotonic() - start < REALISTIC_DELAY, 'a faulted answer is not held back')
    # A client that gives up while the answer waits has still made a task.
    r = ctx.curl(server.url + SUBMIT, *auth(), '-F', 'prompt=given up', max_time=REALISTIC_DELAY / 2)
    check(r.rc != 0 and r.status == 0, f'the client gave up first ({r!r})')
    time.sleep(REALISTIC_DELAY)
    entries = [e for e in log_entries(server) if e['path'] == SUBMIT]
    # (The server finds out only when it answers: logged 200, or null if it never did.)
    eq([e['status'] for e in entries][:-1], [200, 400, 400, 400, 400, 400, 200], 'logged once each')
    check(entries[-1]['status'] in (200, None), f'the given-up one: {entries[-1]["status"]}')
    eq(entries[0]['task_id'], task_id, 'the task in the log')
    given_up = entries[-1]['task_id']
    check(given_up is not None, 'the given-up submission made a task')
    eq(expect_code(query(given_up, server), 1000, 'the task is there')['data'], {}, 'and it is followed')


@test
def realistic_task_answers_follow_the_script():
    server = realistic_server()
    # Asked about slowly (the task has ended by the clock): every step shows.
    task_id = expect_task(submit('prompt=a lighthouse', 'batchsize=3', 'resolution=16:9',
                                 server=server), 'submit')
    time.sleep(1.0)
    answers = realistic_answers(task_id, server, 6)
    eq(answers[0], (1000, {}), '1st answer: data {}')
    eq((answers[1][0], answers[1][1]), (9999, {}), '2nd answer: a code other than 1000')
    eq(sorted(answers[2][1]), ['starttime', 'taskid'], '3rd answer: no image_status')
    eq(answers[2][1]['taskid'], task_id, '3rd answer: its taskid')
    eq([a[1].get('image_status') for a in answers[3:]], [2, 5, 3],
       '4th to 6th: processing (the task has ended), 5 once, then completed')
    check('url' not in answers[4][1], 'no url with status 5')
    data = answers[5][1]
    # Results: one fewer than asked, JPEGs on pre-signed URLs.
    eq(len(data['url']), 2, 'batch 3 gives 2 urls')
    for n, url in enumerate(data['url'], 1):
        check(re.search(rf'/files/{task_id}/{n}\.jpeg\?X-Tos-Algorithm=TOS4-HMAC-SHA256&', url),
              f'a pre-signed URL: {url}')
        r = ctx.curl(url)
        eq(r.status, 200, 'as issued')
        eq(jpeg_size(r.body), (2560, 1440), 'a JPEG of the task\'s size')
        eq(ctx.curl(url.replace('%2F', '/')).status, 403, 'query decoded')
    eq(ctx.curl(f'{server.url}/files/{task_id}/3.jpeg').status, 404, 'no third image')
    # starttime: UTC+8, no zone, about now.
    start = datetime.datetime.strptime(data['starttime'], '%Y-%m-%d %H:%M:%S')
    now_china = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) + datetime.timedelta(hours=8)
    check(abs((now_china - start).total_seconds()) < 60, f'starttime {data["starttime"]} is UTC+8')
    eq(realistic_answers(task_id, server, 1)[0][1]['image_status'], 3, 'and completed from then on')

    # Asked about at once: queued or processing, 5 once, just before the end.
    task_id = expect_task(submit('prompt=a', server=server), 'submit')
    answers = realistic_answers(task_id, server, 3)
    eq([a[0] for a in answers], [1000, 9999, 1000], 'the loose answers come whatever the clock')
    statuses = []
    deadline = time.monotonic() + GENEROUS_WAIT
    while not statuses or statuses[-1] != 3:
        check(time.monotonic() < deadline, f'never completed: {statuses}')
        document = expect_code(query(task_id, server), 1000, 'query')
        statuses.append(document['data']['image_status'])
        time.sleep(0.05)
    check(statuses[0] in (1, 2), f'4th answer {statuses[0]}')
    eq(statuses[-2:], [5, 3], 'the end comes after one 5')
    eq(statuses.count(5), 1, 'one 5')
    check(set(statuses[:-2]) <= {1, 2}, f'the usual statuses before: {statuses}')
    eq(len(document['data']['url']), 1, 'batch 1 gives its one image')

    # A queued fault answers its query, and does not count in the script.
    task_id = expect_task(submit('prompt=a', server=server), 'submit')
    eq(control('POST', '/mock/faults', {'fault': 'missing-status', 'path': QUERY}, server=server).status,
       200, 'queue missing-status')
    eq(sorted(expect_code(query(task_id, server), 1000, 'faulted')['data']), ['starttime', 'taskid'],
       'the faulted answer')
    eq(realistic_answers(task_id, server, 1)[0], (1000, {}), 'then the script from its start')


@test
def realistic_outcomes_by_prompt_and_faults_on_top():
    server = realistic_server()

    def final(task_id):
        deadline = time.monotonic() + GENEROUS_WAIT
        while True:
            document = query(task_id, server).json()
            status = document['data'].get('image_status') if document['code'] == 1000 else None
            if status in (3, 4):
                return document['data']
            check(time.monotonic() < deadline, f'task {task_id} never ended')
            time.sleep(0.05)

    refused = expect_task(submit('prompt=A beach, Mock-Refuse', 'batchsize=2', server=server),
                          'the mock-refuse marker')
    failed = expect_task(submit('prompt=a mock-fail prompt', server=server), 'the mock-fail marker')
    faulted = expect_task(submit('prompt=a', 'batchsize=2', headers=['-H', 'X-Mock-Fault: result-404'],
                                 server=server), 'result-404 on a realistic task')
    data = final(refused)
    eq((data['image_status'], data['url']), (3, []), 'mock-refuse: completed without images')
    data = final(failed)
    eq(sorted(data), ['error_message', 'image_status', 'taskid'], 'mock-fail: only three members')
    eq((data['image_status'], data['error_message']), (4, 'prompt rejected by the safety check'),
       'mock-fail: failed, with its reason')
    data = final(faulted)
    eq(data['url'], [f'{server.url}/files/{faulted}/1.png'], 'result-404: one fewer, its own URLs')
    eq(ctx.curl(data['url'][0]).status, 404, 'result-404: they answer 404')
    eq(control('POST', f'/mock/tasks/{faulted}/heal', server=server).status, 200, 'heal')
    data = final(faulted)
    check(re.search(r'/1\.jpeg\?X-Tos-', data['url'][0]), 'healed: realistic results again')
    eq(ctx.curl(data['url'][0]).status, 200, 'healed: the JPEG is served')


@test
def credits_run_out_with_http_402():
    server = Server(ctx.exe, ctx.workdir, ctx.key, 'credits', '--credits', '3', '--task-seconds', '0')
    ctx.others.append(server)
    expect_task(submit('prompt=a', 'batchsize=2', server=server), 'two of three credits')
    expect_refused(submit('prompt=a', 'resolution=1x1', server=server), 'a refusal costs nothing')
    r = submit('prompt=a', 'batchsize=2', server=server)
    eq(r.status, 402, f'two more than one left ({r!r})')
    eq(r.json(), {'code': 9000, 'msg': 'Insufficient credits'}, 'no data, as the service sends it')
    expect_task(submit('prompt=a', server=server), 'the last credit')
    eq(submit('prompt=a', server=server).status, 402, 'none left')
    submits = [e for e in log_entries(server) if e['path'] == SUBMIT]
    eq([e['status'] for e in submits], [200, 200, 402, 200, 402], 'logged')
    eq([e['task_id'] is not None for e in submits], [True, False, False, True, False],
       'tasks only for what was paid')
    for bad in (['--credits', '-2'], ['--answer-delay-seconds', '3601']):
        rc = subprocess.run([ctx.exe, '--port', '0', '--key', ctx.key, *bad],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=GENEROUS_WAIT).returncode
        eq(rc, 2, f'exit status for {bad}')


@test
def held_answers_are_logged_at_exit():
    server = Server(ctx.exe, ctx.workdir, ctx.key, 'held', '--answer-delay-seconds', '30')
    ctx.others.append(server)
    body = (b'--b\r\nContent-Disposition: form-data; name="prompt"\r\n\r\nheld at exit\r\n--b--\r\n')
    held = socket.create_connection(('127.0.0.1', server.port), timeout=GENEROUS_WAIT)
    held.sendall(b'POST ' + SUBMIT.encode() + b' HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
                 b'Authorization: ' + ctx.key.encode() + b'\r\n' +
                 b'Content-Type: multipart/form-data; boundary=b\r\n' +
                 b'Content-Length: ' + str(len(body)).encode() + b'\r\n\r\n' + body)
    # Answered at once (only submissions wait), after the held one is read.
    expect_refused(query('mock_0123456789abcdef', server), 'a query meanwhile')
    start = time.monotonic()
    eq(server.stop(), 0, 'exit status with an answer held')
    check(time.monotonic() - start < 10, 'the held answer did not hold the exit up')
    held.close()
    with open(server.log_path, 'rb') as f:
        entries = [json.loads(line) for line in f.read().splitlines()]
    mine = [e for e in entries if e['fields'].get('prompt') == 'held at exit']
    eq([e['status'] for e in mine], [None], 'logged once, as never answered')
    check(mine[0]['task_id'] is not None, 'its task was made all the same')


@test
def global_fault_and_body_limit():
    server = Server(ctx.exe, ctx.workdir, ctx.key, 'limits', '--max-body-mib', '1',
                    '--fault', 'code-9000', '--task-seconds', '0')
    ctx.others.append(server)
    json_failure(9000, 'insufficient credits')(submit('prompt=a', server=server))
    json_failure(9000, 'insufficient credits')(query('x', server=server))
    big = write_file('two-mib.png', PNG_SIGNATURE + bytes(2 * 1024 * 1024))
    small = write_file('half-mib.png', PNG_SIGNATURE + bytes(512 * 1024))
    for expect in ([], ['-H', 'Expect:']):
        what = 'without Expect' if expect else 'with Expect: 100-continue'
        r = ctx.curl(server.url + SUBMIT, *auth(), *expect, '-F', 'prompt=a',
                     '-F', f'sourceImage=@{big}')
        eq(r.status, 413, f'{what}: 2 MiB over a 1 MiB limit ({r!r}, {r.stderr!r})')
        check('above the limit' in r.json()['msg'], f'{what}: msg')
    r = ctx.curl(server.url + SUBMIT, *auth(), '-F', 'prompt=a', '-F', f'sourceImage=@{small}')
    json_failure(9000, 'insufficient credits')(r)
    entries = log_entries(server)
    eq([e['status'] for e in entries if e['status'] == 413], [413, 413], '413s logged')
    eq(server.stop(), 0, 'exit status')


@test
def log_format_and_no_key_anywhere():
    png_data = tiny_png()
    png = write_file('logged.png', png_data)
    task_id = expect_task(submit('prompt=logged prompt', 'batchsize=2',
                                 f'sourceImage=@{png};type=image/png'), 'submit')
    leaky = expect_task(submit(f'prompt=my key is {ctx.key}'), 'a prompt holding the key')
    with open(ctx.server.log_path, 'rb') as f:
        lines = f.read().splitlines()
    check(lines, 'the log file is empty')
    entries = [json.loads(line) for line in lines]
    keys = {'time', 'method', 'path', 'headers', 'authorized', 'authorization_sent', 'fields',
            'files', 'status', 'fault', 'task_id', 'key_in_request'}
    for entry in entries:
        eq(set(entry), keys, 'members of a log entry')
        check(all(name == name.lower() for name in entry['headers']), 'header names in lowercase')
        check(not entry['path'].startswith('/mock/'), 'control requests are not logged')
    mine = [e for e in entries if e['task_id'] == task_id and e['path'] == SUBMIT]
    eq(len(mine), 1, 'the submission in the log')
    entry = mine[0]
    eq((entry['method'], entry['status'], entry['fault'], entry['authorized']),
       ('POST', 200, None, True), 'method, status, fault, authorized')
    check('authorization' in entry['headers'], 'authorization among the header names')
    eq(entry['fields'], {'prompt': 'logged prompt', 'batchsize': '2'}, 'fields')
    eq(entry['files'], [{'field': 'sourceImage', 'filename': 'logged.png',
                         'content_type': 'image/png', 'size': len(png_data),
                         'sha256': hashlib.sha256(png_data).hexdigest()}], 'files')
    redacted = [e for e in entries if e['task_id'] == leaky]
    eq(redacted[0]['key_in_request'], True, 'the key in a field is noticed')
    eq(redacted[0]['fields']['prompt'], 'my key is [API key]', 'and replaced')

    from_endpoint = log_entries()
    eq(from_endpoint[:len(entries)], entries, 'GET /mock/log agrees with the file')
    faulted = [e for e in entries if e['fault'] == 'http-429']
    check(faulted and faulted[0]['status'] == 429, 'faulted requests are logged')
    refused = [e for e in entries if e['status'] == 401]
    check(refused and not refused[0]['authorized'], 'refused requests are logged')

    ctx.key_checks.append(('log file', ctx.server.log_path))
    r = ctx.curl(ctx.server.url + '/mock/log')
    check(ctx.key.encode() not in r.body, 'the key in GET /mock/log')


@test
def unknown_paths():
    eq(ctx.curl(ctx.server.url + '/').status, 404, 'GET /')
    r = ctx.curl(ctx.server.url + '/v1/images/nothing', *auth(), '-X', 'POST')
    eq(r.status, 404, 'an unknown API path')
    eq(ctx.curl(ctx.server.url + '/v1/images/nothing', '-X', 'POST').status, 401,
       'an unknown API path without key')
    eq(control('GET', '/mock/nothing').status, 404, 'an unknown control path')


@test
def exits_on_stdin_eof_and_sigint():
    server = Server(ctx.exe, ctx.workdir, ctx.key, 'stdin')
    ctx.others.append(server)
    expect_task(submit('prompt=a', server=server), 'submit')
    server.proc.stdin.close()
    try:
        rc = server.proc.wait(timeout=GENEROUS_WAIT)
    except subprocess.TimeoutExpired:
        raise Failure('no exit when stdin closed')
    eq(rc, 0, 'exit status after stdin EOF')
    server.stderr.close()
    ctx.key_checks.append(('stderr (stdin server)', server.stderr_path))

    server = Server(ctx.exe, ctx.workdir, ctx.key, 'sigint')
    ctx.others.append(server)
    expect_task(submit('prompt=a', server=server), 'submit')
    eq(server.stop(signal.SIGINT), 0, 'exit status after SIGINT')
    check(ctx.key.encode() not in server.rest_of_stdout, 'the key on stdout')
    ctx.key_checks.append(('stderr (SIGINT server)', server.stderr_path))


@test
def exits_on_sigterm_and_never_shows_the_key():
    # A stalled request must not hold the exit up. It is sent whole before
    # another request is answered, so the server has it when SIGTERM comes.
    body = b'{"taskid": "held at exit"}'
    held = socket.create_connection(('127.0.0.1', ctx.server.port), timeout=GENEROUS_WAIT)
    held.sendall(b'POST ' + QUERY.encode() + b' HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
                 b'Authorization: ' + ctx.key.encode() + b'\r\nX-Mock-Fault: stall\r\n' +
                 b'Content-Type: application/json\r\n' +
                 b'Content-Length: ' + str(len(body)).encode() + b'\r\n\r\n' + body)
    expect_task(submit('prompt=a'), 'a request after the stalled one')
    eq(ctx.server.stop(), 0, 'exit status after SIGTERM')
    eq(held.recv(1), b'', 'the held connection is closed, unanswered')
    held.close()
    stdout = ctx.server.first_line.encode() + ctx.server.rest_of_stdout
    check(ctx.key.encode() not in stdout, 'the key on stdout')
    ctx.key_checks.append(('log file', ctx.server.log_path))
    ctx.key_checks.append(('stderr', ctx.server.stderr_path))
    for what, path in ctx.key_checks:
        with open(path, 'rb') as f:
            content = f.read()
        eq(content.count(ctx.key.encode()), 0, f'the key in the {what}')
    with open(ctx.server.log_path, 'rb') as f:
        lines = f.read().splitlines()
    held = [json.loads(line) for line in lines
            if json.loads(line)['fields'].get('taskid') == 'held at exit']
    eq([(e['fault'], e['status']) for e in held], [('stall', None)], 'the held request, logged')


def main():
    if len(sys.argv) != 2:
        print('usage: test-mock-server.py PATH/TO/seedream-mock-server', file=sys.stderr)
        return 2
    if shutil.which('curl') is None:
        print('1..0 # SKIP curl is not installed')
        return 0

    ctx.exe = sys.argv[1]
    ctx.workdir = tempfile.mkdtemp(prefix='test-mock-server-')
    ctx.key = 'sk-mock-' + secrets.token_hex(16)
    ctx.curl = Curl(ctx.workdir)
    ctx.others = []
    ctx.key_checks = []
    ctx.completed_task = None

    print(f'1..{len(TESTS)}')
    failed = 0
    try:
        ctx.server = Server(ctx.exe, ctx.workdir, ctx.key, 'main', '--task-seconds', '0.5')
    except Failure as e:
        for number, function in enumerate(TESTS, 1):
            print(f'not ok {number} - {function.__name__}')
        print(f'# cannot start the server: {e}')
        return 1

    try:
        for number, function in enumerate(TESTS, 1):
            try:
                function()
                print(f'ok {number} - {function.__name__}')
            except Exception:
                failed += 1
                print(f'not ok {number} - {function.__name__}')
                for line in traceback.format_exc().splitlines():
                    print(f'# {line}')
            sys.stdout.flush()
    finally:
        for server in [ctx.server] + ctx.others:
            server.kill()
        shutil.rmtree(ctx.workdir, ignore_errors=True)

    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
