#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# test-upload-curl.py: the multipart body our client sends has the same
# parts as the one `curl -F` sends for the same request.
#
# Starts the mock server ($SEEDREAM_MOCK_SERVER), submits one request with
# tests/upload-tool ($SEEDREAM_UPLOAD_TOOL, which uses SeedreamClient) and
# the same request with curl, then compares what the mock logged for both:
# field names and values, file names, content types, sizes and sha256.
# Prints TAP.

import hashlib
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import urllib.request
import zlib

KEY = "sk-test-curl-compare-0123456789"
SUBMIT_PATH = "/v1/images/seedreamv45"
PROMPT = "A watercolour cat, “sleeping”; 猫 & dog = friends, 100% \"calm\""
BATCH_SIZE = "2"
RESOLUTION = "16:9"

results = []


def check(ok, name, detail=""):
    results.append((bool(ok), name, detail))


def png(width, height, seed):
    """A small real PNG, different for each seed."""
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    rows = b"".join(b"\0" + bytes(((x * 7 + y * 13 + seed * 31) & 0xFF) for x in range(width * 3))
                    for y in range(height))
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 6))
            + chunk(b"IEND", b""))


def start_mock():
    mock = subprocess.Popen([os.environ["SEEDREAM_MOCK_SERVER"], "--port", "0", "--key", KEY,
                             "--exit-on-stdin-eof"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    base_url = mock.stdout.readline().strip()
    if not base_url.startswith("http://"):
        raise RuntimeError("the mock did not print its URL: %r" % base_url)
    return mock, base_url


def mock_log(base_url):
    with urllib.request.urlopen(base_url + "/mock/log", timeout=30) as answer:
        return json.load(answer)


def submit_records(base_url):
    return [r for r in mock_log(base_url) if r.get("path") == SUBMIT_PATH]


def parts_of(record):
    files = [{k: f.get(k) for k in ("field", "filename", "content_type", "size", "sha256")}
             for f in record.get("files", [])]
    return record.get("fields", {}), files


def main():
    for variable in ("SEEDREAM_MOCK_SERVER", "SEEDREAM_UPLOAD_TOOL"):
        if variable not in os.environ:
            print("Bail out! %s is not set: run this test through meson" % variable)
            return 1
    curl = shutil.which("curl")
    if curl is None:
        print("1..0 # SKIP curl is not installed")
        return 0

    tmpdir = tempfile.mkdtemp(prefix="seedream-curl-")
    mock, base_url = start_mock()
    try:
        sources = []
        for name, (w, h, seed) in (("first.png", (40, 30, 1)), ("second image.png", (64, 64, 2))):
            path = os.path.join(tmpdir, name)
            data = png(w, h, seed)
            with open(path, "wb") as f:
                f.write(data)
            sources.append((path, name, data))

        ours = subprocess.run([os.environ["SEEDREAM_UPLOAD_TOOL"], base_url, KEY, PROMPT,
                               BATCH_SIZE, RESOLUTION] + [s[0] for s in sources],
                              capture_output=True, text=True, timeout=120)
        check(ours.returncode == 0, "our client submitted", ours.stderr.strip())

        command = [curl, "-sS", "--fail-with-body", "-H", "Authorization: Bearer " + KEY,
                   "--form-string", "category=seedreamv45",
                   "--form-string", "prompt=" + PROMPT,
                   "--form-string", "batchsize=" + BATCH_SIZE,
                   "--form-string", "resolution=" + RESOLUTION]
        for path, _, _ in sources:
            command += ["-F", 'sourceImage=@"%s"' % path]
        command.append(base_url + SUBMIT_PATH)
        theirs = subprocess.run(command, capture_output=True, text=True, timeout=120)
        check(theirs.returncode == 0, "curl submitted", theirs.stderr.strip())
        try:
            answer = json.loads(theirs.stdout)
            check(answer.get("code") == 1000, "curl got code 1000", theirs.stdout)
        except ValueError:
            check(False, "curl got JSON", theirs.stdout)

        records = submit_records(base_url)
        check(len(records) == 2, "the mock logged two submissions", "got %d" % len(records))
        if len(records) == 2:
            our_fields, our_files = parts_of(records[0])
            curl_fields, curl_files = parts_of(records[1])
            check(records[0].get("task_id") == ours.stdout.strip(),
                  "the task id we printed is the one the mock made")
            check(our_fields == curl_fields, "the text fields are identical",
                  "ours %r, curl %r" % (our_fields, curl_fields))
            check(our_fields.get("prompt") == PROMPT, "the prompt arrived intact",
                  repr(our_fields.get("prompt")))
            check(our_files == curl_files, "the file parts are identical",
                  "ours %r, curl %r" % (our_files, curl_files))
            expected = [{"field": "sourceImage", "filename": name, "content_type": "image/png",
                         "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
                        for _, name, data in sources]
            check(our_files == expected, "the file parts are the source files",
                  "ours %r, expected %r" % (our_files, expected))
            check("authorization" in records[0].get("headers", []), "our client sent the key")
    finally:
        mock.stdin.close()
        try:
            mock.wait(timeout=30)
        except subprocess.TimeoutExpired:
            mock.kill()
            mock.wait()
        shutil.rmtree(tmpdir, ignore_errors=True)

    print("1..%d" % len(results))
    failed = 0
    for number, (ok, name, detail) in enumerate(results, 1):
        print("%s %d - %s" % ("ok" if ok else "not ok", number, name))
        if not ok:
            failed += 1
            for line in detail.splitlines() or [""]:
                print("# " + line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
