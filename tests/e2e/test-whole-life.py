#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The whole life of a task, end to end, against the mock in realistic
mode (late answers, loose answers while a task starts, an unknown status,
fewer JPEGs than asked on pre-signed URLs, starttime in UTC+8), driven
through the accessibility tree (dogtail over AT-SPI) the way a person
would: ask for 2 images, see "up to 2 images" while the task runs, then
Done with the 1 image that came, its tile shown, saved with Save As as the
.jpg it is; meanwhile a prompt the service refuses (the mock's
"mock-refuse" marker) ends "No images" with the likely reason. Then the
credits (4: one per image asked for) are spent: the next one is refused
with HTTP 402 and the row offers Top Up Credits. The mock's log shows
each submission once and the history has each outcome.

Run inside tests/xvfb-session (an X server plus session and a11y buses).
Usage: test-whole-life.py APP MOCK_SERVER
Prints TAP."""

import os
import sqlite3
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from seedream_e2e import app_environment, bail, click_node, configure, finish, http, ok, start_app, start_mock, stop, type_into, wait_for  # noqa: E402  (prints the TAP header)
from dogtail import rawinput, tree, predicate  # noqa: E402

configure(delay=0.2, cutoff=10)

SUBMIT_PATH = "/v1/images/seedreamv45"
QUERY_PATH = "/v1/images/infobytaskid"
PROMPT = "A lighthouse on a cliff at dawn, watercolour"
REFUSED_PROMPT = "A beach at noon, mock-refuse"
BROKE_PROMPT = "A harbour at night"
# Both of the first two ask for 2 images: nothing is left for the third.
CREDITS = 4
# The app asks after 2 s, then ever less often (x1.5 up to 10 s): the six
# answers a realistic task needs at the least take about 40 s.
FOLLOW_TIMEOUT = 120
# src/core/seedream-history-entry.h
SEND_FAILED, DONE, NO_IMAGES = 2, 5, 7


def main():
    app_path, mock_path = sys.argv[1], sys.argv[2]
    workdir = tempfile.mkdtemp(prefix="seedream-whole-life-")
    key = "whole-life-" + os.urandom(8).hex()

    # A short answer delay keeps the test quick; the rules are the same.
    mock, base = start_mock(mock_path, key, "--realistic",
                            "--task-seconds", "2", "--answer-delay-seconds", "2",
                            "--credits", str(CREDITS))
    app = start_app(app_path, app_environment(base, key, workdir))
    started = time.monotonic()

    try:
        run(base, app, workdir)
    finally:
        stop(app, mock, timeout=20)
    print(f"# {time.monotonic() - started:.0f} s in all", flush=True)
    return finish()


def history(workdir, sql, args=()):
    """Rows of the app's history.db, and the folder paths are relative to."""
    data_dir = os.path.join(workdir, "data")
    found = [os.path.join(data_dir, d, "history.db") for d in os.listdir(data_dir)
             if os.path.exists(os.path.join(data_dir, d, "history.db"))]
    if len(found) != 1:
        raise RuntimeError(f"no single history.db under {data_dir}: {found}")
    db = sqlite3.connect(found[0], timeout=10)
    try:
        return db.execute(sql, args).fetchall(), os.path.dirname(found[0])
    finally:
        db.close()


def labels(node):
    return [n.name or "" for n in node.findChildren(predicate.GenericPredicate(roleName="label"))]


def row_of(studio, prompt):
    """The task row whose prompt is prompt."""
    tasks = studio.child(name="Submissions", roleName="list", retry=False)
    for row in tasks.children:
        if row.roleName == "list item" and prompt in labels(row):
            return row
    return None


def row_labels(studio, prompt):
    row = row_of(studio, prompt)
    return labels(row) if row is not None else []


def set_batch_size(studio, n):
    spin = studio.child(name="Number of images", roleName="spin button", retry=False)
    type_into(spin, str(n), clear=True)
    rawinput.pressKey("Tab")
    return wait_for(lambda: int(float(spin.text or 0)) == n or spin.value == n)


def generate(studio):
    button = wait_for(lambda: studio.child(name="Generate", roleName="button", retry=False))
    if button is None or not wait_for(lambda: button.sensitive, timeout=10):
        return False
    click_node(button)
    return True


def run(base, app, workdir):
    studio = wait_for(lambda: tree.root.application("seedream-studio"), timeout=60)
    if studio is None:
        bail("the app never appeared in the accessibility tree")
    prompt = wait_for(lambda: studio.child(name="Prompt", roleName="text", retry=False), timeout=30)
    if prompt is None:
        bail("no prompt box")

    # 1. Two images asked for: a promise until the service answers.
    type_into(prompt, PROMPT)
    if not wait_for(lambda: prompt.text == PROMPT):
        bail("could not type the prompt")
    ok(set_batch_size(studio, 2), "Number of images set to 2")
    ok(generate(studio), "Generate can be pressed")
    ok(wait_for(lambda: any("up to 2 images" in t for t in row_labels(studio, PROMPT)), timeout=15,
                interval=0.2),
       "while it runs, the row says “up to 2 images”")

    # 2. Meanwhile, a prompt the service refuses.
    type_into(prompt, REFUSED_PROMPT, clear=True)
    ok(wait_for(lambda: prompt.text == REFUSED_PROMPT), "the second prompt is typed")
    ok(generate(studio), "Generate can be pressed again")

    # 3. The first ends Done with the one image that came, its tile shown;
    # the loose answers and status 5 on the way show no failure.
    seen_wrong = set()

    def done():
        found = row_labels(studio, PROMPT)
        seen_wrong.update(t for t in found if any(w in t for w in ("Failed", "does not understand", "could not")))
        return found if "Done" in found and any("1 image" in t and "up to" not in t for t in found) else None

    found = wait_for(done, timeout=FOLLOW_TIMEOUT, interval=0.5) or row_labels(studio, PROMPT)
    ok("Done" in found, f"the task ends “Done” by itself: {found!r}")
    ok(any("1 image" in t and "up to" not in t for t in found), "the row says the 1 image that came")
    ok(not seen_wrong, f"no failure was shown on the row on the way: {sorted(seen_wrong)!r}")
    tile = wait_for(lambda: studio.child(name="Result image 1 of 1", retry=False), timeout=30)
    ok(tile is not None, "the row shows “Result image 1 of 1”")

    # 4. The refused prompt: "No images", with the likely reason in words.
    def refused():
        found = row_labels(studio, REFUSED_PROMPT)
        reason = [t for t in found if "refused the prompt or a source image" in t]
        return (found, reason[0]) if "No images" in found and reason else None

    outcome = wait_for(refused, timeout=FOLLOW_TIMEOUT, interval=0.5)
    ok(outcome is not None,
       f"the refused prompt ends “No images” with the reason: {outcome[1] if outcome else row_labels(studio, REFUSED_PROMPT)!r}")

    # 5. Out of credits: HTTP 402 with code 9000 and no data.
    type_into(prompt, BROKE_PROMPT, clear=True)
    ok(wait_for(lambda: prompt.text == BROKE_PROMPT) and set_batch_size(studio, 1), "a third prompt, 1 image")
    ok(generate(studio), "Generate can be pressed a third time")

    def broke():
        found = row_labels(studio, BROKE_PROMPT)
        return found if any("run out of credits" in t for t in found) else None

    found = wait_for(broke, timeout=30, interval=0.5)
    ok(found is not None, f"the row says the credits ran out: {found or row_labels(studio, BROKE_PROMPT)!r}")
    row = row_of(studio, BROKE_PROMPT)
    ok(row is not None and any((n.name or "").replace("_", "") == "Top Up Credits"
                               for n in row.findChildren(predicate.GenericPredicate(roleName="button"))),
       "and offers Top Up Credits")

    # 6. The history: done with one .jpg on disk; no images; send failed.
    rows, folder = history(workdir, "SELECT id, prompt, state, task_id FROM submissions ORDER BY id")
    by_prompt = {r[1]: r for r in rows}
    ok(len(rows) == 3 and set(by_prompt) == {PROMPT, REFUSED_PROMPT, BROKE_PROMPT}, f"three history rows: {rows!r}")
    first = by_prompt.get(PROMPT)
    second = by_prompt.get(REFUSED_PROMPT)
    ok(first is not None and first[2] == DONE, f"the first is recorded done ({first!r})")
    ok(second is not None and second[2] == NO_IMAGES, f"the refused one is recorded no images ({second!r})")
    third = by_prompt.get(BROKE_PROMPT)
    ok(third is not None and third[2] == SEND_FAILED and third[3] is None,
       f"the third is recorded send failed, without a task ({third!r})")
    results, _ = history(workdir, "SELECT local_path FROM results WHERE submission_id = ? AND local_path IS NOT NULL",
                         (first[0] if first else -1,))
    paths = [os.path.join(folder, r[0]) for r in results]
    ok(len(paths) == 1 and paths[0].endswith(".jpg") and os.path.exists(paths[0]),
       f"its one image is on disk as .jpg: {paths!r}")
    result_bytes = b""
    if paths and os.path.exists(paths[0]):
        with open(paths[0], "rb") as f:
            result_bytes = f.read()
    ok(result_bytes[:3] == b"\xff\xd8\xff", "and it is the JPEG the file host served")

    # 7. The mock's log: each submission once; the first followed through
    # its loose answers; the image fetched as given.
    log = http(base, "GET", "/mock/log")
    submits = [(r.get("fields", {}).get("prompt"), r.get("status")) for r in log if r.get("path") == SUBMIT_PATH]
    ok(submits == [(PROMPT, 200), (REFUSED_PROMPT, 200), (BROKE_PROMPT, 402)],
       f"the mock got each submission once: {submits!r}")
    task_id = first[3] if first else None
    queries = [r for r in log if r.get("path") == QUERY_PATH and r.get("task_id") == task_id]
    ok(len(queries) >= 6, f"the first task was asked about {len(queries)} times (6 at the least)")
    files = [r for r in log if (r.get("path") or "").startswith("/files/")]
    ok(len(files) == 1 and files[0].get("status") == 200 and "authorization" not in files[0].get("headers", []),
       f"the one image was fetched as given, without the key: {[(r.get('path'), r.get('status')) for r in files]}")

    # 8. Save As from the preview: the suggested name is a .jpg, and the
    # file written is the image, byte for byte.
    if tile is not None:
        save_as(studio, tile, workdir, result_bytes)
    ok(app.poll() is None, "the app is still running")


def save_as(studio, tile, workdir, result_bytes):
    click_node(tile)
    save_button = wait_for(lambda: studio.child(name="Save As…", roleName="button", retry=False), timeout=15)
    if not ok(save_button is not None, "activating the image opens a preview that offers Save As"):
        return
    click_node(save_button)
    name_field = wait_for(lambda: studio.child(name="Name:", roleName="text", retry=False), timeout=20)
    if not ok(name_field is not None, "Save As opens a file dialog"):
        return
    suggested = wait_for(lambda: name_field.text, timeout=5) or ""
    ok(suggested.endswith(".jpg"), f"the suggested name is a .jpg: {suggested!r}")
    target = os.path.join(workdir, os.path.basename(suggested) if suggested.endswith(".jpg") else "saved.jpg")
    rawinput.keyCombo("<Control>a")
    rawinput.typeText(target)
    rawinput.pressKey("Return")
    saved = wait_for(lambda: os.path.exists(target) and os.path.getsize(target) > 0, timeout=20)
    same = False
    if saved:
        with open(target, "rb") as f:
            same = f.read() == result_bytes
    ok(bool(saved) and same, f"Save As writes the JPEG, byte for byte, to {os.path.basename(target)}")
    rawinput.pressKey("Escape")


if __name__ == "__main__":
    sys.exit(main())
