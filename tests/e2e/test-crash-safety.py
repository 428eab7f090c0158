#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Crash safety, end to end: the real app is killed with SIGKILL and
started again with the same data, the way a power cut or the OOM killer
would stop it.

1. During polling: a task is running on the mock (long --task-seconds)
   when the app dies. At the next start the task is followed again and its
   image arrives; the submission was not sent again (the mock's log).
2. During an upload: the mock reads the body slowly (--slow-upload-ms) and
   the app dies half way. At the next start the draft is back (prompt and
   source images), the row says “Outcome unknown”, and nothing was resent:
   the mock's log holds that one submission, never answered.
3. Atomic writes: the app is killed several times while it writes its
   draft (typing) and its history (a burst of submissions). Each time
   history.db passes `PRAGMA integrity_check`, the draft file still reads
   as a key file, and the app starts without moving either aside as damaged.
4. Two instances at once on one data folder, as two login sessions of one
   person would start them (each on its own session bus, so D-Bus
   uniqueness does not join them): exactly one takes the folder; the other
   says so, keeps what is typed, and sends nothing.

Run inside tests/xvfb-session (an X server plus session and a11y buses).
Usage: test-crash-safety.py APP MOCK_SERVER
Prints TAP."""

import configparser
import glob
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from seedream_e2e import app_environment, bail, click_node, configure, finish, http, make_png, ok, start_app, start_mock, stop, wait_for  # noqa: E402  (prints the TAP header)
from dogtail import rawinput, tree, predicate  # noqa: E402

configure(delay=0.2, cutoff=10)

SUBMIT_PATH = "/v1/images/seedreamv45"
QUERY_PATH = "/v1/images/infobytaskid"
# src/core/seedream-history-entry.h
SENDING, OUTCOME_UNKNOWN, SEND_FAILED, CANCELLED, SUBMITTED, DONE, TASK_FAILED = range(7)
# A task stays queued/processing this long on the mock.
TASK_SECONDS = 20
# The mock waits this long after each chunk of a request body it reads.
SLOW_UPLOAD_MS = 40


class World:
    """The mock, the app's private data, and the app as it comes and goes."""

    def __init__(self, app_path, mock_path):
        self.app_path = app_path
        self.workdir = tempfile.mkdtemp(prefix="seedream-crash-")
        self.key = "crash-" + os.urandom(8).hex()
        self.mock, self.base = start_mock(mock_path, self.key, "--task-seconds", str(TASK_SECONDS),
                                          "--slow-upload-ms", str(SLOW_UPLOAD_MS))
        self.env = app_environment(self.base, self.key, self.workdir)
        self.data_dir = self.env["XDG_DATA_HOME"]
        self.app = None
        self.node = None

    # The app

    def start(self, files=()):
        """Starts the app and waits for its window; returns its tree."""
        if self.app is not None and self.app.poll() is None:
            bail("the app is already running")
        # The previous instance's tree may linger on the bus for a moment.
        wait_for(lambda: tree.root.application("seedream-studio") is None, timeout=10)
        self.app = start_app(self.app_path, self.env, *files)
        self.node = wait_for(lambda: tree.root.application("seedream-studio"), timeout=60)
        if self.node is None:
            bail("the app never appeared in the accessibility tree")
        if wait_for(lambda: self.node.child(name="Prompt", roleName="text", retry=False), timeout=30) is None:
            bail("the app shows no prompt box")
        return self.node

    def kill(self):
        self.app.send_signal(signal.SIGKILL)
        self.app.wait(timeout=20)
        return self.app.returncode == -signal.SIGKILL

    def stop(self):
        stop(self.app, self.mock, timeout=20)

    # What a person sees and does

    def prompt(self):
        return self.node.child(name="Prompt", roleName="text", retry=False)

    def type_prompt(self, text, clear=False):
        click_node(self.prompt())
        time.sleep(0.3)
        if clear:
            rawinput.keyCombo("<Control>a")
            rawinput.pressKey("BackSpace")
        rawinput.typeText(text)

    def source_names(self):
        return sorted((n.name or "")[len("Remove "):] for n in self.node.findChildren(
            predicate.GenericPredicate(roleName="button")) if (n.name or "").startswith("Remove "))

    def generate(self):
        button = wait_for(lambda: self.node.child(name="Generate", roleName="button", retry=False))
        if button is None or not wait_for(lambda: button.sensitive, timeout=10):
            return False
        click_node(button)
        return True

    def task_rows(self):
        tasks = self.node.child(name="Submissions", roleName="list", retry=False)
        return [c for c in tasks.children if c.roleName == "list item"]

    @staticmethod
    def labels(node):
        return [n.name or "" for n in node.findChildren(predicate.GenericPredicate(roleName="label"))]

    # The files

    def history_path(self):
        found = glob.glob(os.path.join(self.data_dir, "*", "history.db"))
        return found[0] if len(found) == 1 else None

    def draft_path(self):
        found = glob.glob(os.path.join(self.data_dir, "*", "draft.ini"))
        return found[0] if len(found) == 1 else None

    def history(self, sql, args=()):
        db = sqlite3.connect(self.history_path(), timeout=10)
        try:
            return db.execute(sql, args).fetchall()
        finally:
            db.close()

    def state_of(self, entry_id):
        rows = self.history("SELECT state, task_id FROM submissions WHERE id = ?", (entry_id,))
        return rows[0] if rows else (None, None)

    def newest_id(self):
        return self.history("SELECT MAX(id) FROM submissions")[0][0] or 0

    def images_on_disk(self, entry_id):
        folder = os.path.dirname(self.history_path())
        rows = self.history("SELECT local_path FROM results WHERE submission_id = ? AND local_path IS NOT NULL",
                            (entry_id,))
        return len([r for r in rows if os.path.exists(os.path.join(folder, r[0]))])

    def damaged_files(self):
        return sorted(glob.glob(os.path.join(self.data_dir, "*", "*.damaged*")))

    def submits(self):
        return [r for r in http(self.base, "GET", "/mock/log") if r.get("path") == SUBMIT_PATH]

    def queries_for(self, task_id):
        return [r for r in http(self.base, "GET", "/mock/log")
                if r.get("path") == QUERY_PATH and r.get("task_id") == task_id]


def main():
    world = World(sys.argv[1], sys.argv[2])
    small = []
    big = []
    for i in range(2):
        path = os.path.join(world.workdir, f"small-{i}.png")
        make_png(path, 64, 48, i)
        small.append(path)
        path = os.path.join(world.workdir, f"big-{i}.png")
        # Together larger than what the loopback socket buffers hold, so
        # the kill comes while the body is still leaving the app.
        make_png(path, 1400, 1400, i, noise=True)
        big.append(path)
    started = time.monotonic()
    try:
        kill_during_polling(world, small)
        kill_during_upload(world, big)
        atomic_writes(world)
        two_instances(world)
    finally:
        world.stop()
    print(f"# {time.monotonic() - started:.0f} s in all", flush=True)
    return finish()


def kill_during_polling(world, sources):
    world.start(sources)
    world.type_prompt("A heron in the reeds at dusk, crash during polling")
    if not ok(wait_for(lambda: world.source_names() == ["small-0.png", "small-1.png"]),
              "polling: the two source images are in the form"):
        bail("no sources in the form")
    world.generate()

    entry_id = wait_for(lambda: world.newest_id(), timeout=30)
    submitted = wait_for(lambda: world.state_of(entry_id)[0] == SUBMITTED and world.state_of(entry_id)[1],
                         timeout=60)
    task_id = world.state_of(entry_id)[1] if submitted else None
    if not ok(task_id is not None, f"polling: the service gave the task id {task_id}"):
        return
    polled = wait_for(lambda: len(world.queries_for(task_id)) >= 1, timeout=30)
    ok(bool(polled), "polling: the app asks the service about the task")
    ok(world.kill(), "polling: the app is killed with SIGKILL while the task runs")
    queries_before = len(world.queries_for(task_id))

    world.start()
    row = wait_for(lambda: [r for r in world.task_rows() if task_id in world.labels(r)], timeout=30)
    ok(bool(row), "polling: after the restart the task is listed again, with its id")
    resumed = wait_for(lambda: len(world.queries_for(task_id)) > queries_before, timeout=30)
    ok(bool(resumed), "polling: the restarted app asks about the task again (it resumed)")
    images = wait_for(lambda: world.state_of(entry_id)[0] == DONE and world.images_on_disk(entry_id) == 1,
                      timeout=TASK_SECONDS + 60, interval=0.5)
    ok(bool(images), "polling: the running task finishes and its image arrives after the restart")
    ok(wait_for(lambda: world.node.child(name="Result image 1 of 1", retry=False), timeout=30) is not None,
       "polling: the image is shown on the task's row")
    ok(len(world.submits()) == 1, f"polling: the submission was sent once ({len(world.submits())} in the mock's log)")


def kill_during_upload(world, big_sources):
    # The app from the first part is still running; the big images join the
    # form (given on the command line, they go to the running instance).
    world.app.terminate()
    world.app.wait(timeout=20)
    world.start(big_sources)
    prompt_text = "A lighthouse in a gale, crash during upload"
    world.type_prompt(prompt_text, clear=True)
    expected_sources = ["big-0.png", "big-1.png", "small-0.png", "small-1.png"]
    if not ok(wait_for(lambda: world.source_names() == expected_sources),
              "upload: the draft's and the new source images are in the form"):
        print(f"# sources: {world.source_names()}", flush=True)
    submits_before = len(world.submits())
    before = world.newest_id()
    # Let the draft reach the disk (it is saved half a second after typing).
    time.sleep(1.5)
    world.generate()

    # The row says Sending and the history “sending”; the mock is still
    # reading the body (slowly), so it has not answered. The client may
    # have handed much of the body to the socket already: the progress it
    # shows is what left the app, not what arrived.
    def sending():
        entry_id = world.newest_id()
        if entry_id <= before or world.state_of(entry_id)[0] != SENDING:
            return None
        for row in world.task_rows():
            labels = world.labels(row)
            if "Sending" in labels:
                return [t for t in labels if "%)" in t or "Preparing" in t] or ["(no progress shown)"]
        return None

    progress = wait_for(sending, timeout=60, interval=0.2)
    ok(progress is not None, f"upload: the submission is being sent ({progress[0] if progress else None})")
    time.sleep(2)
    entry_id = world.newest_id()
    ok(entry_id > before and world.state_of(entry_id)[0] == SENDING and len(world.submits()) == submits_before,
       "upload: two seconds on it is still “sending” in the history, and the mock has not answered")
    ok(world.kill(), "upload: the app is killed with SIGKILL in the middle of the upload")
    # The mock logs the request once it has drained what reached it: the
    # body was cut short, so no task was created (libsoup may log its own
    # 500 for the broken request; nobody is there to receive it).
    logged = wait_for(lambda: len(world.submits()) == submits_before + 1, timeout=90, interval=0.5)
    entry = world.submits()[-1] if logged else {}
    ok(bool(logged) and entry.get("task_id") is None and entry.get("status") != 200,
       f"upload: the mock got the interrupted submission once, cut short, and created no task"
       f" (status {entry.get('status')})")

    world.start()
    prompt = world.prompt()
    ok(wait_for(lambda: prompt.text == prompt_text), f"upload: the draft's prompt is back ({prompt.text!r})")
    ok(wait_for(lambda: world.source_names() == expected_sources),
       f"upload: the draft's four source images are back ({world.source_names()})")
    unknown = wait_for(lambda: [r for r in world.task_rows() if "Outcome unknown" in world.labels(r)], timeout=20)
    ok(bool(unknown), "upload: the interrupted submission's row says “Outcome unknown”")
    ok(world.state_of(entry_id)[0] == OUTCOME_UNKNOWN, "upload: the history row is “outcome unknown”")
    if unknown:
        ok(any((n.name or "").replace("_", "") == "Retry"
               for n in unknown[0].findChildren(predicate.GenericPredicate(roleName="button"))),
           "upload: the row leaves the choice to resend to the person (Retry)")
    # Give a wrong resend every chance to happen before looking.
    time.sleep(3)
    ok(len(world.submits()) == submits_before + 1,
       f"upload: nothing was resent ({len(world.submits()) - submits_before} submission in the log since)")


def draft_readable(path):
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        with open(path, encoding="utf-8") as f:
            parser.read_file(f)
    except (OSError, UnicodeDecodeError, configparser.Error):
        return None
    return parser["Draft"].get("Prompt") if parser.has_section("Draft") else None


LOCKED_OUT = "already open with the same data"


def a11y_bus_address():
    out = subprocess.run(["dbus-send", "--session", "--dest=org.a11y.Bus", "--print-reply=literal",
                          "/org/a11y/bus", "org.a11y.Bus.GetAddress"],
                         capture_output=True, text=True, timeout=10)
    return out.stdout.strip() if out.returncode == 0 else None


def two_instances(world):
    """Starts the app twice at once, the second in a session bus of its
    own that shares only the display and the accessibility bus."""
    if world.app.poll() is None:
        world.kill()
    wait_for(lambda: tree.root.application("seedream-studio") is None, timeout=10)
    address = a11y_bus_address()
    if address is None:
        bail("the accessibility bus has no address")
    submits_before = len(world.submits())
    first = start_app(world.app_path, world.env)
    # A group of its own: ending dbus-run-session would leave the app.
    second = start_app(world.app_path, dict(world.env, AT_SPI_BUS_ADDRESS=address),
                       launcher=("dbus-run-session", "--"), start_new_session=True)

    def apps():
        found = [a for a in tree.root.applications() if a.name == "seedream-studio"]
        ready = [a for a in found if a.child(name="Prompt", roleName="text", retry=False) is not None]
        return ready if len(ready) == 2 else None

    both = wait_for(apps, timeout=60)
    ok(both is not None, "two instances: both windows came up")
    if both is None:
        first.kill()
        os.killpg(second.pid, signal.SIGKILL)
        for p in (first, second):
            p.wait(timeout=20)
        return

    def locked_out():
        flags = [any(LOCKED_OUT in label for label in world.labels(a)) for a in both]
        return flags if any(flags) else None

    flags = wait_for(locked_out, timeout=20) or [False, False]
    ok(flags.count(True) == 1, f"two instances: exactly one says the data is in use elsewhere ({flags})")
    if flags.count(True) == 1:
        # The two windows lie on top of each other (no window manager):
        # the button is pressed through its accessible action, not a click.
        blocked = both[flags.index(True)]
        prompt = blocked.child(name="Prompt", roleName="text", retry=False)
        shown = prompt.text
        button = wait_for(lambda: blocked.child(name="Generate", roleName="button", retry=False))
        pressed = button is not None and wait_for(lambda: button.sensitive, timeout=10)
        if pressed:
            button.doActionNamed("click")
            time.sleep(2)
        ok(pressed and len(world.submits()) == submits_before,
           "two instances: Generate in the one without the data sends nothing")
        ok(bool(shown) and prompt.text == shown, f"two instances: its form still holds the prompt ({shown!r})")
        ok(any(LOCKED_OUT in label for label in world.labels(blocked)), "two instances: and it still says why")

    first.terminate()
    os.killpg(second.pid, signal.SIGTERM)
    for p in (first, second):
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait(timeout=20)
    ok(world.damaged_files() == [], "two instances: nothing was moved aside as damaged")
    ok(world.history("PRAGMA integrity_check") == [("ok",)], "two instances: history.db passes integrity_check")


def atomic_writes(world, rounds=3):
    """Kills the app while it writes, several times, at moments around the
    draft's save (half a second after typing stops) and in a burst of
    history writes (submissions sent one after the other)."""
    typed = None
    for i in range(rounds):
        if world.app.poll() is None:
            world.kill()
        world.start()
        ok(world.damaged_files() == [], f"writes, round {i + 1}: nothing was moved aside as damaged")
        prompt = world.prompt()
        shown = prompt.text
        on_disk = draft_readable(world.draft_path())
        ok(on_disk is not None and shown == on_disk and (typed is None or typed.startswith(shown)),
           f"writes, round {i + 1}: the draft reads back as written ({shown!r})")
        with_integrity = world.history("PRAGMA integrity_check")
        ok(with_integrity == [("ok",)], f"writes, round {i + 1}: history.db passes integrity_check")

        # A burst of history writes: each Generate records a submission
        # (and copies its sources) before anything is sent.
        for _ in range(4):
            world.generate()
        addition = f" over the dunes {i}"
        click_node(prompt)
        rawinput.typeText(addition)
        typed = (shown or "") + addition
        time.sleep(0.35 + 0.1 * i)  # around the draft's save
        world.kill()

    world.start()
    ok(world.damaged_files() == [], "writes, last start: nothing was moved aside as damaged")
    ok(world.history("PRAGMA integrity_check") == [("ok",)], "writes, last start: history.db passes integrity_check")
    states = [r[0] for r in world.history("SELECT state FROM submissions")]
    ok(SENDING not in states, "writes, last start: no submission is left “sending” (they became outcome unknown)")
    ok(world.app.poll() is None, "the app is still running")


if __name__ == "__main__":
    sys.exit(main())
