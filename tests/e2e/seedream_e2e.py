# SPDX-License-Identifier: GPL-3.0-or-later
"""What the end-to-end scripts share: TAP output, dogtail set up for our
private a11y bus, waiting on the UI, clicking, the mock's HTTP API and
test images. Import it before anything else of dogtail: it prints the TAP
header first, because dogtail prints on import."""

import json
import os
import struct
import subprocess
import sys
import time
import urllib.request
import zlib

print("TAP version 13", flush=True)  # before dogtail, which prints on import

import dogtail.utils  # noqa: E402
dogtail.utils.isA11yEnabled = lambda: True  # the a11y bus is ours; no desktop setting to read
from dogtail import config, rawinput  # noqa: E402

config.searchShowingOnly = True
config.logDebugToStdOut = False
config.logDebugToFile = False

_checks = 0
_failures = 0


def configure(delay, cutoff):
    """dogtail's delays between actions and how many searches it retries."""
    config.defaultDelay = delay
    config.actionDelay = delay
    config.searchCutoffCount = cutoff


def ok(condition, what):
    global _checks, _failures
    _checks += 1
    if not condition:
        _failures += 1
    print(("ok " if condition else "not ok ") + f"{_checks} - {what}", flush=True)
    return condition


def skip(what, reason):
    global _checks
    _checks += 1
    print(f"ok {_checks} - {what} # SKIP {reason}", flush=True)


def bail(what):
    print(f"Bail out! {what}", flush=True)
    sys.exit(1)


def finish():
    """Prints the TAP plan; returns the exit status."""
    print(f"1..{_checks}", flush=True)
    return 1 if _failures else 0


def wait_for(check, timeout=20, interval=0.25):
    """What check() returns once it is true, or None after timeout seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            result = check()
            if result:
                return result
        except Exception:  # nodes come and go while the UI updates
            pass
        time.sleep(interval)
    return None


def click_node(node):
    x, y = node.position
    w, h = node.size
    rawinput.click(x + w // 2, y + h // 2)


def type_into(node, text, clear=False):
    """Clicks node (GTK 4 has no AT-SPI grabFocus) and types text."""
    click_node(node)
    time.sleep(0.3)
    if clear:
        rawinput.keyCombo("<Control>a")
        rawinput.pressKey("BackSpace")
    rawinput.typeText(text)


def http(base, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read() or b"null")


def make_png(path, width, height, seed, noise=False):
    """A real RGB PNG; with noise it does not compress, so it is big."""
    if noise:
        rows = b"".join(b"\x00" + os.urandom(width * 3) for _ in range(height))
    else:
        rows = b"".join(b"\x00" + bytes(((x * 7 + y * 3 + seed) % 256 for x in range(width * 3)))
                        for y in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)))
        f.write(chunk(b"IDAT", zlib.compress(rows, 1 if noise else -1)))
        f.write(chunk(b"IEND", b""))


def start_mock(mock_path, key, *args, port=0, stderr=None):
    """Starts the mock server on port (0: a free loopback one); returns it and its
    base URL. It exits when its stdin closes, so it never outlives the test;
    stderr, a file, keeps what it prints there."""
    mock = subprocess.Popen([mock_path, "--port", str(port), "--key", key, *args, "--exit-on-stdin-eof"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr, text=True)
    base = mock.stdout.readline().strip()
    if not base.startswith("http://127.0.0.1:"):
        bail(f"the mock server did not start: {base!r}")
    return mock, base


def app_environment(base, key, workdir, unset=(), **extra):
    """The app's environment: the mock, the key, its own XDG folders, AT-SPI on X11.
    With key None it has no key (it must sign in); extra adds or overrides
    variables, unset names inherited ones to drop."""
    env = dict(os.environ,
               SEEDREAM_API_URL=base,
               XDG_DATA_HOME=os.path.join(workdir, "data"),
               XDG_CONFIG_HOME=os.path.join(workdir, "config"),
               XDG_CACHE_HOME=os.path.join(workdir, "cache"),
               GTK_A11Y="atspi", NO_AT_BRIDGE="0", GDK_BACKEND="x11")
    if key is not None:
        env["SEEDREAM_API_KEY"] = key
    else:
        env.pop("SEEDREAM_API_KEY", None)
    env.update(extra)
    env.pop("G_DEBUG", None)  # the app's own warnings are checked by the widget tests
    for name in unset:
        env.pop(name, None)
    return env


def start_app(app_path, env, *args, launcher=(), **popen):
    """Starts the app with args, behind launcher (a command that runs it, such as
    dbus-run-session --); popen goes to subprocess.Popen (stdout, ...).
    SEEDREAM_E2E_WRAPPER="gdb -batch -ex run -ex bt --args" shows where a crash happened."""
    wrapper = os.environ.get("SEEDREAM_E2E_WRAPPER", "").split()
    return subprocess.Popen([*launcher, *wrapper, app_path, *args], env=env, **popen)


def stop(app, mock, timeout=10):
    """Ends the app, unless there is none or it has ended already, then the mock,
    if there is one."""
    if app is not None and app.poll() is None:
        app.terminate()
        app.wait(timeout=timeout)
    if mock is None:
        return
    mock.stdin.close()
    mock.terminate()
    mock.wait(timeout=timeout)
