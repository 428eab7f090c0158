#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The fault matrix, end to end: one running app, driven through the
accessibility tree (dogtail over AT-SPI), meets every way the service can
fail (the mock server plays them). For each fault it presses Generate, waits
for the row's outcome and checks that the app still runs, that the message
names the cause in words, that the prompt and source images are still in
the form, that the history row (history.db) has the right state, and that
Retry (Refresh for a task's own faults) works once the fault is gone.
Then the answers a followed task must ride out (empty data, codes other
than 1000, missing fields while it starts, fewer images than asked): the
task ends Done by itself, no failure is shown, and the row and the history
say how many images came.
At the end it prints a table: fault, message shown, kept, outcome.

The refused connection comes first: the app starts pointed at a free port
where nothing listens yet; the mock is started there afterwards.

Run inside tests/xvfb-session (an X server plus session and a11y buses).
Usage: test-faults.py APP MOCK_SERVER
Prints TAP."""

import os
import re
import socket
import sqlite3
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from seedream_e2e import app_environment, bail, click_node, configure, finish, http, make_png, ok, start_app, start_mock, stop, type_into, wait_for  # noqa: E402  (prints the TAP header)
from dogtail import rawinput, tree, predicate  # noqa: E402

configure(delay=0.2, cutoff=10)

SUBMIT_PATH = "/v1/images/seedreamv45"
QUERY_PATH = "/v1/images/infobytaskid"
PROMPT = "A red kite over a salt marsh, fault matrix"
# The client's timeout for this run (SEEDREAM_TEST_TIMEOUT, read by the
# window): the stall fault would otherwise take the default minute.
TEST_TIMEOUT = 5

# src/core/seedream-history-entry.h
SENDING, OUTCOME_UNKNOWN, SEND_FAILED, CANCELLED, SUBMITTED, DONE, TASK_FAILED, NO_IMAGES = range(8)
STATE_NAMES = {SENDING: "sending", OUTCOME_UNKNOWN: "outcome unknown", SEND_FAILED: "send failed",
               CANCELLED: "cancelled", SUBMITTED: "submitted", DONE: "done", TASK_FAILED: "task failed",
               NO_IMAGES: "no images"}
# What the row's state pill says for each.
PILL = {OUTCOME_UNKNOWN: "Outcome unknown", SEND_FAILED: "Failed", TASK_FAILED: "Failed", DONE: "Done",
        NO_IMAGES: "No images"}

# label, fault queued on the mock (None: the refused connection), words the
# message must hold, the history states that are right, how to recover.
# A body that went out whole without a usable answer may have created the
# task: "outcome unknown". Closing mid-upload is either, depending on whether
# the client had handed the whole (small) body to the socket.
FAULTS = [
    ("refused connection", None, ["Could not reach", "refused"], {SEND_FAILED}, "retry"),
    # A gateway's 5xx or 408 after the whole body: the service may have made
    # the task (issue #15: no second bill), so Retry asks first.
    ("HTTP 500", "http-500", ["500", "Internal Server Error", "check your task list"], {OUTCOME_UNKNOWN}, "retry"),
    ("HTTP 502", "http-502", ["502", "Bad Gateway", "check your task list"], {OUTCOME_UNKNOWN}, "retry"),
    ("HTTP 503", "http-503", ["503", "Unavailable", "check your task list"], {OUTCOME_UNKNOWN}, "retry"),
    ("HTTP 408", "http-408", ["408", "check your task list"], {OUTCOME_UNKNOWN}, "retry"),
    ("HTTP 401", "http-401", ["did not accept your API key"], {SEND_FAILED}, "retry"),
    ("HTTP 403", "http-403", ["refused access"], {SEND_FAILED}, "retry"),
    ("HTTP 404", "http-404", ["404", "Not Found", "API address"], {SEND_FAILED}, "retry"),
    ("HTTP 413", "http-413", ["413", "too big"], {SEND_FAILED}, "retry"),
    ("HTTP 429 + Retry-After", "http-429", ["too many requests", "2 seconds"], {SEND_FAILED}, "retry"),
    ("code 9999 with a message", "code-9999", ["could not create the task", "model overloaded"],
     {SEND_FAILED}, "retry"),
    ("code 9000", "code-9000", ["run out of credits"], {SEND_FAILED}, "retry"),
    ("malformed JSON", "malformed-json", ["does not understand"], {OUTCOME_UNKNOWN}, "retry"),
    ("HTML error page", "html-page", ["does not understand"], {OUTCOME_UNKNOWN}, "retry"),
    ("empty body", "empty-body", ["does not understand"], {OUTCOME_UNKNOWN}, "retry"),
    ("50 MiB body", "huge-body", ["does not understand"], {OUTCOME_UNKNOWN}, "retry"),
    ("missing task id", "missing-taskid", ["does not understand"], {OUTCOME_UNKNOWN}, "retry"),
    # Task ids that cannot name a folder of their own (issue #15).
    ("task id “..”", "taskid-dotdot", ["does not understand"], {OUTCOME_UNKNOWN}, "retry"),
    ("task id of 256 bytes", "taskid-long", ["does not understand"], {OUTCOME_UNKNOWN}, "retry"),
    ("stall past the timeout", "stall", ["did not answer in time"], {OUTCOME_UNKNOWN}, "retry"),
    ("closed mid-upload", "close-during-upload", ["Could not reach"], {SEND_FAILED, OUTCOME_UNKNOWN},
     "retry"),
    ("task fails", "task-fails", ["could not generate the images", "content refused by moderation"],
     {TASK_FAILED}, "generate"),
    ("result URL 404s", "result-404", ["no longer available", "404"], {DONE}, "refresh"),
    ("result not an image", "result-not-image", ["is not an image"], {DONE}, "refresh"),
    # A file host that fills the disk or never finishes (issue #15).
    ("result far too large", "result-huge", ["was refused", "larger than any image the service makes"],
     {DONE}, "refresh"),
    ("result that never ends", "result-trickle", ["had not sent the whole image"], {DONE}, "refresh"),
    # Status 3 with url []: its own outcome, the likely reason in words, final.
    ("status 3, no images", "no-images", ["without any images", "refused the prompt or a source image"],
     {NO_IMAGES}, "generate"),
    ("failed, only error_message", "fails-bare",
     ["could not generate the images", "source image rejected by the safety check"], {TASK_FAILED}, "generate"),
    # As the live service does beyond the docs: refusals as HTTP 4xx with the
    # envelope (its msg is shown), 9000 without data, JPEG results on
    # pre-signed URLs ("done": no message, the image saved as .jpg).
    ("refused prompt (HTTP 400)", "refused-prompt", ["refused the request", "prompt was refused"],
     {SEND_FAILED}, "retry"),
    ("bad size (HTTP 400)", "bad-size", ["refused the request", "Invalid size"], {SEND_FAILED}, "retry"),
    ("code 9000 without data", "code-9000-bare", ["run out of credits"], {SEND_FAILED}, "retry"),
    ("HTTP 402 + code 9000", "http-402-credits", ["run out of credits"], {SEND_FAILED}, "retry"),
    ("JPEG on pre-signed URLs", "result-jpeg-presigned", None, {DONE}, "done"),
]

# Answers while a task is followed that the app must ride out: label, fault,
# path it is queued on, how many answers take it, the batch size, how many
# images arrive. The task ends Done by itself (nothing is sent again): no
# error is ever shown, the row says Done and how many images came, the
# history row is done with them on disk.
FOLLOW_FAULTS = [
    ("empty data while starting", "empty-data", QUERY_PATH, 3, 1, 1),
    ("code 9000 while starting", "code-9000", QUERY_PATH, 2, 1, 1),
    ("code 9999 while starting", "code-9999", QUERY_PATH, 2, 1, 1),
    ("no image_status at start", "missing-status", QUERY_PATH, 2, 1, 1),
    ("no taskid while starting", "missing-taskid", QUERY_PATH, 2, 1, 1),
    ("fewer images than asked", "fewer-images", SUBMIT_PATH, 1, 4, 2),
    # 64 URLs for one image asked: one is fetched (issue #15).
    ("more URLs than asked", "many-urls", SUBMIT_PATH, 1, 1, 1),
]
# Words that must not be on a row that rode a fault out.
NOT_SHOWN = ["does not understand", "Failed", "could not"]

# Buttons the row must offer besides Retry, by fault.
EXTRA_BUTTONS = {"code-9000": "Top Up Credits", "code-9000-bare": "Top Up Credits",
                 "http-402-credits": "Top Up Credits"}


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class History:
    """Reads the app's history.db (SQLite in WAL mode) beside the app."""

    def __init__(self, data_dir):
        self.data_dir = data_dir
        self.path = None

    def query(self, sql, args=()):
        if self.path is None:
            # <XDG_DATA_HOME>/<app id, with .Devel in a development build>/history.db
            found = [os.path.join(self.data_dir, d, "history.db") for d in os.listdir(self.data_dir)
                     if os.path.exists(os.path.join(self.data_dir, d, "history.db"))]
            if len(found) != 1:
                raise RuntimeError(f"no single history.db under {self.data_dir}: {found}")
            self.path = found[0]
        db = sqlite3.connect(self.path, timeout=10)
        try:
            return db.execute(sql, args).fetchall()
        finally:
            db.close()

    def newest_id(self):
        rows = self.query("SELECT MAX(id) FROM submissions")
        return rows[0][0] or 0

    def row(self, entry_id):
        rows = self.query("SELECT state, task_id, error_message FROM submissions WHERE id = ?", (entry_id,))
        return rows[0] if rows else None

    def result_paths(self, entry_id):
        rows = self.query("SELECT local_path FROM results WHERE submission_id = ? AND local_path IS NOT NULL",
                          (entry_id,))
        return [r[0] for r in rows]

    def n_results_on_disk(self, entry_id):
        rows = self.query("SELECT local_path FROM results WHERE submission_id = ? AND local_path IS NOT NULL",
                          (entry_id,))
        # Stored relative to the history's folder when inside it.
        folder = os.path.dirname(self.path)
        return len([r for r in rows if os.path.exists(os.path.join(folder, r[0]))])


class Studio:
    """The app's accessible tree, and what a person does with it."""

    def __init__(self, app):
        self.app = app

    def task_rows(self):
        tasks = self.app.child(name="Submissions", roleName="list", retry=False)
        return [c for c in tasks.children if c.roleName == "list item"]

    def top_row(self):
        rows = self.task_rows()
        return rows[0] if rows else None

    @staticmethod
    def labels(node):
        return [n.name or "" for n in node.findChildren(predicate.GenericPredicate(roleName="label"))]

    @staticmethod
    def button(node, name):
        found = [n for n in node.findChildren(predicate.GenericPredicate(roleName="button"))
                 if (n.name or "").replace("_", "") == name]
        return found[0] if found else None

    def prompt_text(self):
        node = self.app.child(name="Prompt", roleName="text", retry=False)
        return node.text if node is not None else None

    def source_names(self):
        return sorted((n.name or "")[len("Remove "):] for n in self.app.findChildren(
            predicate.GenericPredicate(roleName="button")) if (n.name or "").startswith("Remove "))

    def generate(self):
        button = wait_for(lambda: self.app.child(name="Generate", roleName="button", retry=False))
        if button is None or not wait_for(lambda: button.sensitive, timeout=10):
            return False
        click_node(button)
        return True

    def confirm_send_again(self):
        """Answers the “Send Again?” question with Send Again (the newest
        dialog: closed ones linger in the tree)."""
        found = wait_for(lambda: [n for n in self.app.findChildren(predicate.GenericPredicate(roleName="button"))
                                  if (n.name or "").replace("_", "") == "Send Again"], timeout=10)
        if not found:
            return False
        click_node(found[-1])
        return True


def message_in(labels, words):
    """The label that says what went wrong: the one holding the most of the
    expected words."""
    best, score = None, 0
    for text in labels:
        hits = sum(1 for w in words if w.lower() in text.lower())
        if hits > score:
            best, score = text, hits
    return best


def in_words(message, words):
    """All expected words, and a sentence rather than a bare code."""
    if not message:
        return False
    alphabetic = re.findall(r"[A-Za-z]{3,}", message)
    return all(w.lower() in message.lower() for w in words) and len(alphabetic) >= 5


def main():
    app_path, mock_path = sys.argv[1], sys.argv[2]
    workdir = tempfile.mkdtemp(prefix="seedream-faults-")
    key = "faults-" + os.urandom(8).hex()
    port = free_port()

    sources = []
    for i in range(2):
        path = os.path.join(workdir, f"source-{i}.png")
        make_png(path, 64, 48, i)
        sources.append(path)

    env = app_environment(f"http://127.0.0.1:{port}", key, workdir,
                          SEEDREAM_TEST_TIMEOUT=str(TEST_TIMEOUT))
    app = start_app(app_path, env, *sources)
    history = History(os.path.join(workdir, "data"))
    state = {"mock": None, "app": app}
    started = time.monotonic()

    try:
        run(app, history, state, mock_path, key, port)
    finally:
        stop(app, state["mock"], timeout=20)
    print(f"# {time.monotonic() - started:.0f} s in all", flush=True)
    return finish()


def run(app, history, state, mock_path, key, port):
    studio_node = wait_for(lambda: tree.root.application("seedream-studio"), timeout=60)
    if studio_node is None:
        bail("the app never appeared in the accessibility tree")
    studio = Studio(studio_node)

    prompt = wait_for(lambda: studio_node.child(name="Prompt", roleName="text", retry=False), timeout=30)
    if prompt is None:
        bail("no prompt box")
    click_node(prompt)
    time.sleep(0.3)
    rawinput.typeText(PROMPT)
    if not wait_for(lambda: studio.prompt_text() == PROMPT):
        bail("could not type the prompt")
    expected_sources = ["source-0.png", "source-1.png"]
    if not wait_for(lambda: studio.source_names() == expected_sources):
        bail("the source images from the command line are not in the form")

    table = []
    for label, fault, words, right_states, recovery in FAULTS:
        table.append(run_fault(studio, history, state, mock_path, key, port,
                               label, fault, words, right_states, recovery))
        if app.poll() is not None:
            bail(f"the app stopped during “{label}” (exit status {app.returncode})")
    for row in FOLLOW_FAULTS:
        table.append(run_follow_fault(studio, history, state, *row))
        if app.poll() is not None:
            bail(f"the app stopped during “{row[0]}” (exit status {app.returncode})")

    print("#", flush=True)
    print(f"# {'fault':<26} | {'message shown':<90} | {'kept':<4} | outcome", flush=True)
    print(f"# {'-' * 26}-+-{'-' * 90}-+-{'-' * 4}-+-{'-' * 40}", flush=True)
    for fault, message, kept, outcome in table:
        shown = (message or "(none)").replace("\n", " / ")
        if len(shown) > 90:
            shown = shown[:89] + "…"
        print(f"# {fault:<26} | {shown:<90} | {'yes' if kept else 'NO':<4} | {outcome}", flush=True)
    print("#", flush=True)


def generate_recorded(studio, history, label):
    """Presses Generate and waits for the new history row: (its id, None),
    or (None, the table row of what went wrong)."""
    before = history.newest_id()
    if not ok(studio.generate(), f"{label}: Generate can be pressed"):
        return None, (label, None, False, "Generate unavailable")
    entry_id = wait_for(lambda: history.newest_id() if history.newest_id() > before else None, timeout=30)
    if not ok(entry_id is not None, f"{label}: the submission is recorded in the history"):
        return None, (label, None, False, "not recorded")
    return entry_id, None


def run_fault(studio, history, state, mock_path, key, port, label, fault, words, right_states, recovery):
    if fault is not None:
        base = state["base"]
        http(base, "DELETE", "/mock/faults")
        http(base, "POST", "/mock/faults", {"fault": fault, "count": 1, "path": SUBMIT_PATH})
    entry_id, failure = generate_recorded(studio, history, label)
    if failure:
        return failure

    if recovery == "done":
        return run_done(studio, history, state, label, entry_id)

    # The outcome: the row's message holds the expected words.
    def shown():
        row = studio.top_row()
        message = message_in(studio.labels(row), words)
        return message if in_words(message, words) else None

    message = wait_for(shown, timeout=90 if recovery == "refresh" else 60, interval=0.5)
    row_labels = []
    try:
        row_labels = studio.labels(studio.top_row())
    except Exception:
        pass
    if message is None:
        message = message_in(row_labels, words) or " / ".join(row_labels[1:])
    ok(state["app"].poll() is None and wait_for(lambda: studio.prompt_text() is not None, timeout=5),
       f"{label}: the app is still running and answering")
    ok(in_words(message, words), f"{label}: the message names the cause in words: {message!r}")

    kept = studio.prompt_text() == PROMPT and studio.source_names() == ["source-0.png", "source-1.png"]
    ok(kept, f"{label}: the prompt and both source images are still in the form")

    # The row's state settles a moment after the message in some cases.
    stored = wait_for(lambda: history.row(entry_id) if history.row(entry_id)[0] in right_states else None,
                      timeout=15) or history.row(entry_id)
    ok(stored is not None and stored[0] in right_states,
       f"{label}: the history row is “{STATE_NAMES.get(stored[0]) if stored else None}”"
       f" (right: {', '.join(STATE_NAMES[s] for s in sorted(right_states))})")
    if stored is not None and stored[0] in PILL:
        ok(PILL[stored[0]] in row_labels, f"{label}: the row says “{PILL[stored[0]]}”")
    if recovery == "refresh":
        ok(history.n_results_on_disk(entry_id) == 0, f"{label}: no broken image was kept")
    if fault in EXTRA_BUTTONS:
        ok(wait_for(lambda: studio.button(studio.top_row(), EXTRA_BUTTONS[fault]), timeout=10) is not None,
           f"{label}: the row offers “{EXTRA_BUTTONS[fault]}”")

    outcome = recover(studio, history, state, mock_path, key, port, label, recovery, entry_id, stored)
    return (label, message, kept, outcome)


def set_batch_size(studio, n):
    spin = studio.app.child(name="Number of images", roleName="spin button", retry=False)
    type_into(spin, str(n), clear=True)
    rawinput.pressKey("Tab")
    return wait_for(lambda: int(float(spin.text or 0)) == n or spin.value == n)


def run_follow_fault(studio, history, state, label, fault, path, count, batch, n_images):
    """A fault the follow must ride out: the task ends Done by itself."""
    base = state["base"]
    if batch != 1 and not ok(set_batch_size(studio, batch), f"{label}: Number of images set to {batch}"):
        return (label, None, False, "batch size not set")
    http(base, "DELETE", "/mock/faults")
    http(base, "POST", "/mock/faults", {"fault": fault, "count": count, "path": path})
    submits_before = len([r for r in http(base, "GET", "/mock/log") if r.get("path") == SUBMIT_PATH])
    entry_id, failure = generate_recorded(studio, history, label)
    if failure:
        return failure

    # Before the answer, the count is a promise: "up to 4 images".
    if batch != 1:
        promise = f"up to {batch} images"
        ok(wait_for(lambda: any(promise in t for t in studio.labels(studio.top_row())), timeout=10, interval=0.2),
           f"{label}: while it runs, the row says “{promise}”")

    # "Done" and what came: "2K · 2 images", "Result image 1 of 2".
    count_words = f"{n_images} image" + ("s" if n_images != 1 else "")

    def done():
        labels = studio.labels(studio.top_row())
        return labels if "Done" in labels and any(count_words in t and "up to" not in t for t in labels) else None

    labels = wait_for(done, timeout=60, interval=0.5) or studio.labels(studio.top_row())
    shown = [t for t in labels if "Done" == t or count_words in t]
    message = " / ".join(shown) if shown else " / ".join(labels[1:])
    ok("Done" in labels, f"{label}: the row says “Done”: {labels!r}")
    ok(any(count_words in t and "up to" not in t for t in labels),
       f"{label}: the row says how many images came ({count_words})")
    wrong = [t for t in labels if any(w.lower() in t.lower() for w in NOT_SHOWN)]
    ok(not wrong, f"{label}: no failure is shown: {wrong!r}")

    faulted = [r for r in http(base, "GET", "/mock/log") if r.get("path") == path and r.get("fault") == fault]
    ok(len(faulted) == count, f"{label}: the mock played the fault {count} time(s) ({len(faulted)})")

    kept = studio.prompt_text() == PROMPT and studio.source_names() == ["source-0.png", "source-1.png"]
    ok(kept, f"{label}: the prompt and both source images are still in the form")

    stored = wait_for(lambda: history.row(entry_id) if history.row(entry_id)[0] == DONE else None,
                      timeout=15) or history.row(entry_id)
    ok(stored is not None and stored[0] == DONE,
       f"{label}: the history row is “{STATE_NAMES.get(stored[0]) if stored else None}” (right: done)")
    images = wait_for(lambda: history.n_results_on_disk(entry_id) == n_images, timeout=30)
    ok(bool(images), f"{label}: {n_images} image(s) on disk and in the history "
                     f"({history.n_results_on_disk(entry_id)})")
    shown_tiles = wait_for(lambda: studio.app.child(name=f"Result image {n_images} of {n_images}", retry=False),
                           timeout=30)
    ok(shown_tiles is not None, f"{label}: the row shows “Result image {n_images} of {n_images}”")
    submits = [r for r in http(base, "GET", "/mock/log") if r.get("path") == SUBMIT_PATH]
    ok(len(submits) == submits_before + 1, f"{label}: it was sent once")
    http(base, "DELETE", "/mock/faults")
    if batch != 1:
        ok(set_batch_size(studio, 1), f"{label}: Number of images back to 1")
    outcome = f"followed through → Done, {n_images} image(s)" if stored and stored[0] == DONE and images \
        else f"not done ({STATE_NAMES.get(stored[0]) if stored else None})"
    return (label, message, kept, outcome)
def run_done(studio, history, state, label, entry_id):
    """A fault the app must simply get through: the task ends done, its
    image saved, with nothing to say."""
    done = wait_for(lambda: history.row(entry_id)[0] == DONE and history.n_results_on_disk(entry_id) >= 1,
                    timeout=60, interval=0.5)
    paths = history.result_paths(entry_id)
    ok(bool(done), f"{label}: the task is done and its image saved")
    ok(bool(paths) and all(p.endswith(".jpg") for p in paths), f"{label}: saved as .jpg: {paths}")
    files = [r for r in http(state["base"], "GET", "/mock/log") if (r.get("path") or "").startswith("/files/")]
    ok(bool(files) and files[-1].get("status") == 200,
       f"{label}: the pre-signed URL was fetched as given (the file host answered "
       f"{files[-1].get('status') if files else None})")
    row_labels = studio.labels(studio.top_row())
    ok("Done" in row_labels, f"{label}: the row says “Done”")
    kept = studio.prompt_text() == PROMPT and studio.source_names() == ["source-0.png", "source-1.png"]
    ok(kept, f"{label}: the prompt and both source images are still in the form")
    http(state["base"], "DELETE", "/mock/faults")
    return (label, "(none: done)", kept, "image saved as .jpg" if done and paths else "not done")


def recover(studio, history, state, mock_path, key, port, label, recovery, entry_id, stored):
    if state.get("mock") is None:
        # The refused connection: now something listens there.
        state["mock"], state["base"] = start_mock(mock_path, key, "--task-seconds", "2", port=port)
    else:
        http(state["base"], "DELETE", "/mock/faults")
    base = state["base"]
    submits_before = len([r for r in http(base, "GET", "/mock/log") if r.get("path") == SUBMIT_PATH])

    if recovery == "retry":
        row = studio.top_row()
        retry = studio.button(row, "Retry")
        if not ok(retry is not None, f"{label}: the row offers Retry"):
            return "no Retry"
        click_node(retry)
        confirmed = ""
        if stored is not None and stored[0] == OUTCOME_UNKNOWN:
            # The task may exist: sending again is the person's choice.
            ok(studio.confirm_send_again(), f"{label}: Retry asks before sending again, and Send Again sends")
            confirmed = " after “Send Again?”"
        done = wait_for(lambda: history.row(entry_id)[0] in (SUBMITTED, DONE), timeout=60, interval=0.5)
        after = history.row(entry_id)
        submits = [r for r in http(base, "GET", "/mock/log") if r.get("path") == SUBMIT_PATH]
        sent_once = len(submits) == submits_before + 1 and submits[-1].get("status") == 200
        ok(bool(done) and after[1] is not None and sent_once,
           f"{label}: Retry sends it once more and the service takes it (task {after[1]})")
        images = wait_for(lambda: history.row(entry_id)[0] == DONE and history.n_results_on_disk(entry_id) >= 1,
                          timeout=60, interval=0.5)
        ok(bool(images), f"{label}: after Retry the task's image arrives")
        return (f"Retry{confirmed} → task done, image saved" if done and images
                else f"Retry failed ({STATE_NAMES.get(after[0])})")

    if recovery == "refresh":
        task_id = stored[1] if stored else None
        http(base, "POST", f"/mock/tasks/{task_id}/heal")
        row = studio.top_row()
        refresh = studio.button(row, "Refresh")
        if not ok(refresh is not None, f"{label}: the row offers Refresh"):
            return "no Refresh"
        click_node(refresh)
        images = wait_for(lambda: history.n_results_on_disk(entry_id) >= 1, timeout=60, interval=0.5)
        shown = wait_for(lambda: studio.app.child(name="Result image 1 of 1", retry=False), timeout=30)
        ok(bool(images) and shown is not None, f"{label}: Refresh fetches the image once the host serves it")
        submits = [r for r in http(base, "GET", "/mock/log") if r.get("path") == SUBMIT_PATH]
        ok(len(submits) == submits_before, f"{label}: Refresh sent nothing again")
        return "Refresh → image saved" if images and shown is not None else "Refresh failed"

    # The service itself failed the task: that is final (no Retry on the
    # row); the form is intact, so Generate again works.
    row = studio.top_row()
    ok(studio.button(row, "Retry") is None and studio.button(row, "Refresh") is None,
       f"{label}: a task the service failed offers neither Retry nor Refresh")
    before = history.newest_id()
    studio.generate()
    new_id = wait_for(lambda: history.newest_id() if history.newest_id() > before else None, timeout=30)
    images = new_id and wait_for(lambda: history.row(new_id)[0] == DONE and history.n_results_on_disk(new_id) >= 1,
                                 timeout=60, interval=0.5)
    ok(bool(images), f"{label}: Generate again (the form was kept) gives the image")
    return "final; Generate again → image saved" if images else "Generate again failed"


if __name__ == "__main__":
    sys.exit(main())
