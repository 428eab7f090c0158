#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Key hygiene, end to end: the API key goes in the Authorization header
of API requests and nowhere else.

1. The real app, with a known key and G_MESSAGES_DEBUG=all, generates once
   through the window (accessibility tree, dogtail) against the mock server
   until the image arrives, and is closed with Ctrl+Q. Then every file under
   its XDG_DATA_HOME, XDG_CONFIG_HOME (settings too: GSETTINGS_BACKEND=keyfile)
   and XDG_CACHE_HOME, its captured stdout and stderr, and the mock's request
   log are searched for the key's value (and its hex and base64 forms):
   zero hits. The search is shown to work: the files it reads hold the
   prompt, and the logs hold the client's debug lines.
2. The result download carried no Authorization header (the mock's log).
3. The app pointed at a plain http:// address of a host that is not
   loopback sends nothing there: a listener on that address sees no
   connection after Generate, and the app says why.

Run inside tests/xvfb-session. Usage: test-key-hygiene.py APP MOCK_SERVER
Prints TAP."""

import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from seedream_e2e import app_environment, click_node, configure, finish, ok, skip, start_app, start_mock, stop, wait_for  # noqa: E402  (prints the TAP header)
from dogtail import rawinput, tree, predicate  # noqa: E402

configure(delay=0.3, cutoff=20)

PROMPT = "A kingfisher on a mossy branch, hygiene check"


def mock_log(base):
    with urllib.request.urlopen(base + "/mock/log", timeout=10) as response:
        return json.loads(response.read() or b"[]")


def app_env(workdir, name, api_url, key):
    return app_environment(api_url, key, os.path.join(workdir, name),
                           G_MESSAGES_DEBUG="all", GSETTINGS_BACKEND="keyfile")


def start_logged_app(app_path, env, workdir, name):
    """The app, its stdout and stderr kept in workdir to be searched for the key."""
    out = open(os.path.join(workdir, name + ".stdout"), "wb")
    err = open(os.path.join(workdir, name + ".stderr"), "wb")
    return start_app(app_path, env, stdout=out, stderr=err)


def find_app():
    # GTK keeps closed apps in the tree a while; take the last one listed.
    apps = [a for a in tree.root.applications() if a.name == "seedream-studio"]
    return apps[-1] if apps else None


def compose_and_generate(studio):
    prompt = wait_for(lambda: studio.child(name="Prompt", roleName="text", retry=False))
    if not ok(prompt is not None, "the window shows the prompt box"):
        return None
    click_node(prompt)
    time.sleep(0.3)
    rawinput.typeText(PROMPT)
    ok(wait_for(lambda: "kingfisher" in prompt.text), "the prompt is typed")
    generate = studio.child(name="Generate", roleName="button", retry=False)
    wait_for(lambda: generate.sensitive)
    click_node(generate)
    return prompt


def quit_app(app):
    rawinput.keyCombo("<Control>q")
    try:
        app.wait(timeout=20)
        return True
    except subprocess.TimeoutExpired:
        app.terminate()
        app.wait(timeout=10)
        return False


def forms_of(key):
    raw = key.encode()
    return {
        "the key": raw,
        "the key in hex": raw.hex().encode(),
        "the key in base64": base64.b64encode(raw).rstrip(b"="),
    }


def search_files(paths, needles):
    """Returns (files read, bytes read, [(path, form)] hits)."""
    hits = []
    n_files = n_bytes = 0
    for path in paths:
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError:
            continue
        n_files += 1
        n_bytes += len(data)
        for what, needle in needles.items():
            if needle in data:
                hits.append((path, what))
    return n_files, n_bytes, hits


def walk(*roots):
    for root in roots:
        for directory, _dirs, files in os.walk(root):
            for name in files:
                yield os.path.join(directory, name)


def run_generation(app_path, mock_path, workdir):
    key = "kh-" + os.urandom(12).hex() + "-KEYVALUE"
    mock_log_path = os.path.join(workdir, "mock-log.jsonl")
    mock_err = open(os.path.join(workdir, "mock.stderr"), "wb")
    mock, base = start_mock(mock_path, key, "--task-seconds", "2", "--log", mock_log_path,
                            stderr=mock_err)

    env = app_env(workdir, "app", base, key)
    app = start_logged_app(app_path, env, workdir, "app")
    try:
        studio = wait_for(find_app, timeout=30)
        if not ok(studio is not None, "the app appears in the accessibility tree"):
            return
        if compose_and_generate(studio) is None:
            return
        image = wait_for(lambda: studio.child(name="Result image 1 of 1", retry=False), timeout=60)
        ok(image is not None, "the generated image arrives on the task's row")
        log = mock_log(base)
    finally:
        closed = quit_app(app)
        stop(app, mock)  # the app has ended: this ends the mock
    ok(closed, "Ctrl+Q closes the app")

    submits = [r for r in log if r.get("path") == "/v1/images/seedreamv45"]
    downloads = [r for r in log if r.get("method") == "GET" and r.get("path", "").startswith("/files/")]
    ok(len(submits) == 1 and submits[0].get("authorized") is True,
       "the submission carried the key, in its Authorization header")
    ok(all(r.get("key_in_request") is False for r in log),
       "the key was in no request outside the Authorization header")
    ok(len(downloads) >= 1 and not any(r.get("authorization_sent") for r in downloads)
       and not any("authorization" in r.get("headers", []) for r in downloads),
       "the result download carried no Authorization header")

    # Everything the app wrote, its output, and the mock's request log.
    roots = [env["XDG_DATA_HOME"], env["XDG_CONFIG_HOME"], env["XDG_CACHE_HOME"]]
    written = sorted(walk(*roots))
    shown = [os.path.relpath(p, workdir) for p in written if "mesa_shader_cache" not in p]
    print(f"# {len(written)} files the app wrote, besides Mesa's shader cache: " + ", ".join(shown), flush=True)
    needles = forms_of(key)

    n_files, n_bytes, hits = search_files(written, needles)
    names = [os.path.basename(p) for p in written]
    ok(any(n.startswith("history.db") for n in names) and any(n.endswith(".png") for n in names),
       "the app wrote its history and the result image")
    ok(any("settings" in p for p in written), "the settings were written (keyfile backend)")
    _, _, prompt_hits = search_files(written, {"prompt": PROMPT.encode()})
    ok(len(prompt_hits) > 0, "the search works: the prompt is found in what the app wrote")
    ok(not hits, f"no file of the {n_files} the app wrote ({n_bytes} bytes) holds the key"
       + ("" if not hits else ": " + "; ".join(f"{os.path.relpath(p, workdir)} has {w}" for p, w in hits)))

    outputs = [os.path.join(workdir, n) for n in ("app.stdout", "app.stderr", "mock.stderr")]
    n_out, n_out_bytes, out_hits = search_files(outputs, needles)
    with open(os.path.join(workdir, "app.stderr"), "rb") as f:
        stderr = f.read()
    with open(os.path.join(workdir, "app.stdout"), "rb") as f:
        stdout = f.read()
    debug = stderr + stdout
    ok(b"seedream" in debug and b"/v1/images/seedreamv45" in debug,
       f"the app's debug output was captured ({n_out_bytes} bytes, with the client's lines)")
    ok(not out_hits and b"Bearer" not in debug and b"Authorization:" not in debug,
       "the app's stdout and stderr with G_MESSAGES_DEBUG=all hold no key and no header"
       + ("" if not out_hits else ": " + "; ".join(f"{os.path.basename(p)} has {w}" for p, w in out_hits)))

    _, _, log_hits = search_files([mock_log_path], needles)
    ok(os.path.getsize(mock_log_path) > 0 and not log_hits, "the mock's request log holds no key")


def non_loopback_address():
    """An address of this machine that is not loopback, or None."""
    candidates = []
    try:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.connect(("192.0.2.1", 9))  # no packet is sent for UDP connect
        candidates.append(s.getsockname()[0])
        s.close()
    except OSError:
        pass
    try:
        candidates += socket.gethostbyname_ex(socket.gethostname())[2]
    except OSError:
        pass
    for address in candidates:
        if not address.startswith("127.") and address != "0.0.0.0":
            return address
    return None


def run_insecure(app_path, workdir):
    address = non_loopback_address()
    if address is None:
        skip("a plain http:// address that is not loopback gets nothing",
             "this machine has no address other than loopback")
        return

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((address, 0))
    listener.listen(8)
    listener.settimeout(0.5)
    port = listener.getsockname()[1]
    received = []
    stop = threading.Event()

    def accept():
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            conn.settimeout(2)
            try:
                received.append(conn.recv(65536))
            except OSError:
                received.append(b"")
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()

    key = "kh-insecure-" + os.urandom(8).hex()
    env = app_env(workdir, "insecure", f"http://{address}:{port}", key)
    app = start_logged_app(app_path, env, workdir, "insecure")
    try:
        studio = wait_for(find_app, timeout=30)
        if not ok(studio is not None, "the app starts with a plain http:// address"):
            return
        if compose_and_generate(studio) is None:
            return
        message = wait_for(lambda: [n for n in studio.findChildren(predicate.GenericPredicate(roleName="label"))
                                    if "HTTPS" in (n.name or "") or "https://" in (n.name or "")], timeout=20)
        time.sleep(2)
        ok(bool(message), "the app says the address must use HTTPS"
           + (f": {message[0].name!r}" if message else ""))
        ok(app.poll() is None, "the app is still running")
    finally:
        quit_app(app)
        stop.set()
        thread.join(timeout=5)
        listener.close()
    ok(not received, f"nothing reached http://{address}:{port} (connections: {len(received)})")
    _, _, hits = search_files([os.path.join(workdir, "insecure.stdout"), os.path.join(workdir, "insecure.stderr")],
                              forms_of(key))
    ok(not hits, "the app's output holds no key")


def main():
    app_path, mock_path = sys.argv[1], sys.argv[2]
    workdir = tempfile.mkdtemp(prefix="seedream-key-hygiene-")
    try:
        run_generation(app_path, mock_path, workdir)
        run_insecure(app_path, workdir)
    finally:
        if not os.environ.get("SEEDREAM_KEEP_WORKDIR"):
            shutil.rmtree(workdir, ignore_errors=True)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
