#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Sign In With Browser, end to end, with no key anywhere at the start:
no SEEDREAM_API_KEY, an empty GNOME Keyring of our own.

A stand-in browser (stand-in-browser.py) is the desktop's default
x-scheme-handler/https handler (a .desktop file in a temporary
XDG_DATA_HOME/applications and mimeapps.list in XDG_CONFIG_HOME). No portal
runs here, so GtkUriLauncher hands the link to
g_app_info_launch_default_for_uri(), which starts it. SEEDREAM_SIGNIN_URL
points at an https address that only the stand-in "opens"; it reads the
link's redirect_uri and POSTs token=<a key the mock accepts>, as the
provider's page does, then replays the post.

Checked: the setup page offers the sign-in; the link names a loopback
callback with a secret and the key name; the browser is told it is signed
in; the replay is refused; the key is in the keyring; the window goes on
to the form and the next generation reaches the mock authorized; the key
is in none of the app's output.

Run inside tests/xvfb-session.
Usage: test-sign-in.py APP MOCK_SERVER STAND_IN_BROWSER
Prints TAP."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from seedream_e2e import app_environment, bail, click_node, configure, finish, http, ok, skip, start_app, start_mock, stop, wait_for  # noqa: E402  (prints the TAP header)
from dogtail import rawinput, tree  # noqa: E402

configure(delay=0.3, cutoff=20)

SIGN_IN_URL = "https://signin.seedream.test/auth"
PROMPT = "A heron at dusk, signed in through the browser"


def start_keyring(workdir):
    """A real GNOME Keyring on this test's own session bus, unlocked, with
    its files in workdir (never the caller's)."""
    daemon = shutil.which("gnome-keyring-daemon")
    if daemon is None:
        bail("gnome-keyring-daemon is not installed")
    env = dict(os.environ, HOME=os.path.join(workdir, "keyring-home"),
               XDG_DATA_HOME=os.path.join(workdir, "keyring-home", "data"))
    env.pop("G_DEBUG", None)
    os.makedirs(env["XDG_DATA_HOME"], exist_ok=True)
    keyring = subprocess.Popen([daemon, "--foreground", "--unlock", "--replace", "--components=secrets"],
                               stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                               stderr=open(os.path.join(workdir, "keyring.stderr"), "wb"), env=env)
    keyring.stdin.write(b"pw")
    keyring.stdin.close()

    def owned():
        out = subprocess.run(["dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus",
                              "/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner",
                              "string:org.freedesktop.secrets"], capture_output=True, text=True)
        return "boolean true" in out.stdout

    if not wait_for(owned, timeout=30):
        bail("the keyring did not start")
    return keyring


def register_browser(env, browser, token_file, log_file):
    """The stand-in as the default https handler, the freedesktop way."""
    applications = os.path.join(env["XDG_DATA_HOME"], "applications")
    os.makedirs(applications, exist_ok=True)
    with open(os.path.join(applications, "seedream-stand-in-browser.desktop"), "w") as f:
        f.write("[Desktop Entry]\n"
                "Type=Application\n"
                "Name=Stand-in Browser\n"
                f"Exec={sys.executable} {browser} {token_file} {log_file} %u\n"
                "MimeType=x-scheme-handler/https;x-scheme-handler/http;\n"
                "NoDisplay=true\n")
    os.makedirs(env["XDG_CONFIG_HOME"], exist_ok=True)
    with open(os.path.join(env["XDG_CONFIG_HOME"], "mimeapps.list"), "w") as f:
        f.write("[Default Applications]\n"
                "x-scheme-handler/https=seedream-stand-in-browser.desktop\n"
                "x-scheme-handler/http=seedream-stand-in-browser.desktop\n")


def find_app():
    apps = [a for a in tree.root.applications() if a.name == "seedream-studio"]
    return apps[-1] if apps else None


def read_log(path):
    try:
        with open(path) as f:
            return [json.loads(line) for line in f if line.strip()]
    except OSError:
        return []


def main():
    app_path, mock_path, browser = sys.argv[1], sys.argv[2], os.path.abspath(sys.argv[3])
    workdir = tempfile.mkdtemp(prefix="seedream-e2e-sign-in-")
    key = "si-" + os.urandom(12).hex()

    mock, base = start_mock(mock_path, key, "--task-seconds", "2")

    keyring = start_keyring(workdir)
    token_file = os.path.join(workdir, "token")
    with open(token_file, "w") as f:
        f.write(key)
    log_file = os.path.join(workdir, "browser.jsonl")

    # No key: the app must sign in, through the stand-in browser.
    env = app_environment(base, None, workdir, unset=("BROWSER",),
                          SEEDREAM_SIGNIN_URL=SIGN_IN_URL, G_MESSAGES_DEBUG="all")
    register_browser(env, browser, token_file, log_file)

    out = open(os.path.join(workdir, "app.output"), "wb")
    app = start_app(app_path, env, stdout=out, stderr=subprocess.STDOUT)
    try:
        run(base, key, log_file)
    finally:
        stop(app, mock)

    with open(os.path.join(workdir, "app.output"), "rb") as f:
        output = f.read()
    ok(len(output) > 0 and key.encode() not in output,
       f"the app's output with G_MESSAGES_DEBUG=all ({len(output)} bytes) never holds the key")

    keyring.terminate()
    keyring.wait(timeout=10)
    shutil.rmtree(workdir, ignore_errors=True)
    return finish()


def run(base, key, log_file):
    studio = wait_for(find_app, timeout=30)
    if not ok(studio is not None, "the app appears in the accessibility tree"):
        return
    button = wait_for(lambda: studio.child(name="Sign In With Browser", roleName="button", retry=False))
    if not ok(button is not None, "with no key, the setup page offers Sign In With Browser"):
        return
    ok(studio.child(name="Enter Key Manually", roleName="button", retry=False) is not None,
       "Enter Key Manually is beside it")
    click_node(button)

    records = wait_for(lambda: read_log(log_file), timeout=30)
    if not ok(records, "the desktop's https handler (the stand-in browser) was sent the link"):
        return
    record = records[0]
    ok(record["link"].startswith(SIGN_IN_URL + "?redirect_uri=http%3A%2F%2F127.0.0.1%3A"),
       "the link is the sign-in address with an escaped loopback redirect_uri")
    ok(record["redirect_uri"].split("/")[3] == "callback" and len(record["redirect_uri"].split("/")[4]) >= 32,
       "the redirect_uri is /callback/ with a secret of 128 bits or more")
    ok(record["key_name"].startswith("Seedream Studio on "), f"the key is named {record['key_name']!r}")
    ok(record["status"] == 200 and "You are signed in" in record["page"] and key not in record["page"],
       "the browser is told it is signed in, in the app's words, without the key")
    ok(record["replay_status"] != 200, f"a second post is refused ({record['replay_status'] or 'connection refused'})")

    prompt = wait_for(lambda: studio.child(name="Prompt", roleName="text", retry=False), timeout=30)
    if not ok(prompt is not None, "the window goes on to the form"):
        return

    if shutil.which("secret-tool"):
        stored = subprocess.run(["secret-tool", "lookup", "purpose", "api-key"],
                                capture_output=True, text=True).stdout.strip()
        ok(stored == key, "the key is in the keyring")
    else:
        skip("the key is in the keyring", "secret-tool is not installed")

    click_node(prompt)
    time.sleep(0.3)
    rawinput.typeText(PROMPT)
    ok(wait_for(lambda: "heron" in prompt.text), "the prompt is typed")
    generate = studio.child(name="Generate", roleName="button", retry=False)
    wait_for(lambda: generate.sensitive)
    click_node(generate)

    def submits():
        return [r for r in http(base, "GET", "/mock/log") if r.get("path") == "/v1/images/seedreamv45"]
    sent = wait_for(submits, timeout=30)
    ok(sent and all(r.get("authorized") is True for r in sent),
       "the next generation reaches the mock authorized, with the key from the browser")


if __name__ == "__main__":
    sys.exit(main())
