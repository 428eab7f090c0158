#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""End-to-end test of the compose window, driven through the accessibility
tree (dogtail over AT-SPI) against the mock server, the way a person would:
type a prompt, pick a custom size (valid, then invalid, then valid again),
ask for 4 images with two source images given on the command line,
generate, find the mock's task id in the list, then see a server failure
reported in words with the prompt kept. Then the results: the generated
images appear on the task's row, Save As writes the real PNG, and Reuse in
the History page puts a past submission back in the form.

Run inside tests/xvfb-session (an X server plus session and a11y buses).
Usage: test-compose.py APP MOCK_SERVER
Prints TAP."""

import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from seedream_e2e import app_environment, bail, click_node, configure, finish, http, make_png, ok, skip, start_app, start_mock, stop, type_into, wait_for  # noqa: E402  (prints the TAP header)
from dogtail import rawinput, tree, predicate  # noqa: E402

configure(delay=0.3, cutoff=20)


def main():
    app_path, mock_path = sys.argv[1], sys.argv[2]
    workdir = tempfile.mkdtemp(prefix="seedream-e2e-")
    key = "e2e-" + os.urandom(8).hex()

    mock, base = start_mock(mock_path, key, "--task-seconds", "8")

    sources = []
    for i in range(2):
        path = os.path.join(workdir, f"source-{i}.png")
        make_png(path, 64, 48, i)
        sources.append(path)

    app = start_app(app_path, app_environment(base, key, workdir), *sources)

    try:
        run(base, app, workdir)
    finally:
        stop(app, mock)
    return finish()


def screenshot(name):
    """Writes the screen to $SEEDREAM_SCREENSHOT_DIR/NAME.png when asked to."""
    directory = os.environ.get("SEEDREAM_SCREENSHOT_DIR")
    if directory:
        os.makedirs(directory, exist_ok=True)
        subprocess.run(["import", "-window", "root", os.path.join(directory, name + ".png")], check=False)


def labels_containing(app, text):
    return [n for n in app.findChildren(predicate.GenericPredicate(roleName="label")) if text in (n.name or "")]


def run(base, app, workdir):
    studio = run_compose(base, app)
    run_files_or_url(studio)
    run_results(base, app, studio, workdir)


def buttons_named(studio, name):
    return [n for n in studio.findChildren(predicate.GenericPredicate(roleName="button"))
            if (n.name or "").replace("_", "") == name and n.showing]


def source_buttons(studio):
    return [n for n in studio.findChildren(predicate.GenericPredicate(roleName="button"))
            if (n.name or "").startswith("Remove source-")]


def run_files_or_url(studio):
    """A URL typed while files are attached: the form asks which to keep,
    and keeping the files clears the URL, nothing else."""
    what = "typing an image URL while files are attached asks which to keep"
    url = wait_for(lambda: studio.child(name="Source image URL", roleName="text", retry=False))
    spin = studio.child(name="Number of images", roleName="spin button", retry=False)
    if url is None or spin is None:
        skip(what, "no Source image URL field")
        return
    # The field may lie below the fold, under the Generate bar: reach it
    # with Tab from a control on screen (the form scrolls to the focus).
    click_node(spin)
    for _ in range(20):
        if url.focused:
            break
        rawinput.pressKey("Tab")
        time.sleep(0.2)
    if not url.focused:
        skip(what, "Tab did not reach the Source image URL field")
        return
    rawinput.typeText("https://example.com/reference.png")
    keep = wait_for(lambda: buttons_named(studio, "Keep the Files"), timeout=10)
    use = buttons_named(studio, "Use the Image URL")
    if not ok(bool(keep) and bool(use), f"{what} (the field holds {url.text!r})"):
        return
    screenshot("files-or-url")
    click_node(keep[-1])
    ok(wait_for(lambda: (url.text or "") == "", timeout=10) is not None,
       "Keep the Files clears the URL")
    ok(wait_for(lambda: len(source_buttons(studio)) == 2, timeout=10) is not None,
       "Keep the Files keeps both source images")


def run_results(base, app, studio, workdir):
    # The first submission's task finishes on the mock after 8 s; the
    # row then shows its four images.
    first = wait_for(lambda: studio.child(name="Result image 1 of 4", retry=False), timeout=90)
    last = wait_for(lambda: studio.child(name="Result image 4 of 4", retry=False), timeout=30)
    ok(first is not None and last is not None,
       "the four generated images appear on the task's row")
    log = http(base, "GET", "/mock/log")
    downloads = [r for r in log if r.get("method") == "GET" and r.get("path", "").startswith("/files/")]
    ok(len(downloads) >= 4 and not any("authorization" in r.get("headers", []) for r in downloads),
       "the images were downloaded without the API key")
    screenshot("results")
    if first is None:
        return

    results_dir = os.path.join(workdir, "data")
    saved_from = None
    for root, _dirs, files in os.walk(results_dir):
        if "0.png" in files and os.sep + "results" + os.sep in root + os.sep:
            saved_from = os.path.join(root, "0.png")

    # Save As from the large preview, which activating an image opens.
    # (The items of GTK's popover menus have no accessible names here, so
    # the preview's labelled buttons are the way a screen reader gets there.)
    target = os.path.join(workdir, "saved-lighthouse.png")
    ok(studio.child(name="Actions for result image 1 of 4", retry=False) is not None,
       "each image has a menu of actions")
    click_node(first)
    save_button = wait_for(lambda: studio.child(name="Save As…", roleName="button", retry=False),
                           timeout=15)
    if not ok(save_button is not None, "activating an image opens a preview that offers Save As"):
        return
    screenshot("preview")
    click_node(save_button)
    name_field = wait_for(lambda: studio.child(name="Name:", roleName="text", retry=False),
                          timeout=20)
    if ok(name_field is not None, "Save As opens a file dialog"):
        rawinput.keyCombo("<Control>a")
        rawinput.typeText(target)
        rawinput.pressKey("Return")
        saved = wait_for(lambda: os.path.exists(target) and os.path.getsize(target) > 0, timeout=20)
        same = False
        if saved and saved_from:
            with open(target, "rb") as a, open(saved_from, "rb") as b:
                same = a.read() == b.read()
        ok(bool(saved) and same, "Save As writes the generated PNG, byte for byte")
    # Escape closes the preview. (GTK leaves the closed dialog's nodes in
    # the accessibility tree for a while, so this is seen in screenshots.)
    rawinput.pressKey("Escape")
    time.sleep(1)

    # Reuse: change the prompt, then bring the past submission back.
    prompt = studio.child(name="Prompt", roleName="text", retry=False)
    # Tabbing to the URL field scrolled the form: the prompt may be above
    # the fold. Scroll back with the wheel over that field (not over a
    # spin button or combo row, which the wheel would change).
    url = studio.child(name="Source image URL", roleName="text", retry=False)
    for _ in range(30):
        if prompt.position[1] >= 0 or url is None:
            break
        x, y = url.position
        w, h = url.size
        rawinput.click(x + w // 2, max(0, y) + h // 2, button=4)
        time.sleep(0.2)
    type_into(prompt, "Something else entirely", clear=True)
    history_tab = wait_for(lambda: studio.findChildren(
        lambda n: n.name == "History" and n.roleName != "panel"))
    if not ok(bool(history_tab), "the History page can be opened"):
        return
    click_node(history_tab[0])
    reuse = wait_for(lambda: [n for n in studio.findChildren(
        predicate.GenericPredicate(name="Reuse", roleName="button"))])
    if ok(bool(reuse), "the history lists past submissions with Reuse"):
        click_node(reuse[-1])
        ok(wait_for(lambda: "lighthouse" in prompt.text), "Reuse puts the past prompt back in the form")
        ok(wait_for(lambda: len([n for n in studio.findChildren(
            predicate.GenericPredicate(roleName="button")) if (n.name or "").startswith("Remove ")]) == 2),
           "Reuse puts the past source images back in the form")
    screenshot("history")
    ok(app.poll() is None, "the app is still running after the results")


def run_compose(base, app):
    desktop = tree.root
    studio = wait_for(lambda: desktop.application("seedream-studio"), timeout=30)
    if studio is None:
        bail("the app never appeared in the accessibility tree")

    window = wait_for(lambda: studio.child(roleName="frame", retry=False))
    ok(window is not None and "Seedream Studio" in window.name, "the window is shown with its title")

    prompt = wait_for(lambda: studio.child(name="Prompt", roleName="text", retry=False))
    if not ok(prompt is not None, "the prompt box has the accessible name Prompt"):
        bail("no prompt box")
    type_into(prompt, "A lighthouse on a cliff at dawn, watercolour")
    ok(wait_for(lambda: "lighthouse" in prompt.text), "typing into the prompt works")

    resolution = studio.child(name="Resolution", retry=False)
    click_node(resolution)
    custom = wait_for(lambda: studio.child(name="Custom size", roleName="label", retry=False), timeout=10)
    if not ok(custom is not None, "the resolution picker offers Custom size"):
        bail("no Custom size item")
    click_node(custom)

    width = wait_for(lambda: studio.child(name="Width", roleName="text", retry=False))
    height = wait_for(lambda: studio.child(name="Height", roleName="text", retry=False))
    if not ok(width is not None and height is not None, "Custom size shows Width and Height"):
        bail("no width/height rows")

    generate = studio.child(name="Generate", roleName="button", retry=False)
    type_into(width, "3750", clear=True)
    type_into(height, "1250", clear=True)
    ok(wait_for(lambda: studio.child(
        name="3750 × 1250 = 4687500 pixels", roleName="label", retry=False)) is not None,
       "3750 × 1250 shows its pixel count")
    ok(wait_for(lambda: generate.sensitive), "Generate is available for a valid size")

    type_into(width, "1500", clear=True)
    type_into(height, "1500", clear=True)
    message = wait_for(lambda: studio.findChild(
        predicate.GenericPredicate(roleName="label"), retry=False,
        requireResult=False) and [n for n in studio.findChildren(
            predicate.GenericPredicate(roleName="label")) if "below the minimum" in (n.name or "")])
    ok(bool(message) and "2250000" in message[0].name,
       "1500 × 1500 is explained: below the minimum, with the pixel count")
    ok(wait_for(lambda: not generate.sensitive),
       "Generate is unavailable for a size below the minimum")

    type_into(width, "3750", clear=True)
    type_into(height, "1250", clear=True)
    ok(wait_for(lambda: generate.sensitive),
       "Generate is available again once the size is valid")

    spin = studio.child(name="Number of images", roleName="spin button", retry=False)
    type_into(spin, "4", clear=True)
    rawinput.pressKey("Tab")
    ok(wait_for(lambda: int(float(spin.text or 0)) == 4 or spin.value == 4), "Number of images set to 4")

    ok(wait_for(lambda: len([n for n in studio.findChildren(
        predicate.GenericPredicate(roleName="button")) if (n.name or "").startswith("Remove source-")]) == 2),
       "the two images from the command line are in the form")

    click_node(generate)
    copy = wait_for(lambda: studio.child(name="Copy Task ID", roleName="button", retry=False),
                    timeout=30)
    log = http(base, "GET", "/mock/log")
    submits = [r for r in log if r.get("path") == "/v1/images/seedreamv45"]
    mock_task = submits[-1].get("task_id") if submits else None
    ok(copy is not None and mock_task is not None and
       studio.child(name=mock_task, roleName="label", retry=False) is not None,
       f"the task id the mock issued ({mock_task}) is listed")
    if submits:
        fields = submits[-1].get("fields", {})
        ok(fields.get("resolution") == "3750x1250" and fields.get("batchsize") == "4"
           and len(submits[-1].get("files", [])) == 2,
           "the mock received 3750x1250, 4 images and two source images")

    http(base, "POST", "/mock/faults", {"fault": "code-9999", "count": 1})
    click_node(generate)
    failure = wait_for(lambda: [n for n in studio.findChildren(
        predicate.GenericPredicate(roleName="label")) if "model overloaded" in (n.name or "")], timeout=30)
    ok(bool(failure), "a server failure shows the server's message in words")
    ok("lighthouse" in prompt.text, "the prompt is kept after the failure")
    ok(studio.child(name="Retry", roleName="button", retry=False) is not None, "the failure offers Retry")
    ok(app.poll() is None, "the app is still running")
    return studio


if __name__ == "__main__":
    sys.exit(main())
