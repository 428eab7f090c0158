#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""End-to-end test of saving (issue #18), through the accessibility tree
against the mock: with "Save Finished Images To" on (set in a key-file
settings backend before the start), a generated image is copied into the
chosen folder as it arrives, named "YYYY-MM-DD HH.MM.SS <prompt> 1.png",
and the exiv2 tool reads its XMP (the AI-made mark, the prompt, the tool).
Then the folder vanishes: the next image stays in the app and the window
says so in words, with a Choose Folder… button, without making the folder
again.

Run inside tests/xvfb-session. Usage: test-saving.py APP MOCK_SERVER
Prints TAP."""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from seedream_e2e import app_environment, bail, click_node, configure, finish, ok, skip, start_app, start_mock, stop, wait_for  # noqa: E402
from dogtail import rawinput, tree, predicate  # noqa: E402

configure(delay=0.3, cutoff=20)

PROMPT = "A red fox / in the snow: at dusk"
NAME = re.compile(r"^\d{4}-\d\d-\d\d \d\d\.\d\d\.\d\d A red fox in the snow at dusk 1\.png$")


def write_settings(config_dir, out_dir):
    path = os.path.join(config_dir, "glib-2.0", "settings")
    os.makedirs(path, exist_ok=True)
    with open(os.path.join(path, "keyfile"), "w", encoding="utf-8") as f:
        f.write("[io/github/seedreamstudio/SeedreamStudio]\n")
        f.write("save-finished-images=true\n")
        f.write(f"output-folder='file://{out_dir}'\n")


def labels_containing(app, text):
    return [n for n in app.findChildren(predicate.GenericPredicate(roleName="label")) if text in (n.name or "")]


def main():
    app_path, mock_path = sys.argv[1], sys.argv[2]
    workdir = tempfile.mkdtemp(prefix="seedream-e2e-saving-")
    key = "e2e-" + os.urandom(8).hex()
    out_dir = os.path.join(workdir, "Pictures", "Seedream")
    os.makedirs(out_dir)
    config_dir = os.path.join(workdir, "config")
    write_settings(config_dir, out_dir)

    mock, base = start_mock(mock_path, key, "--task-seconds", "2")
    app = start_app(app_path, app_environment(base, key, workdir, GSETTINGS_BACKEND="keyfile",
                                              XDG_CONFIG_HOME=config_dir))
    try:
        run(app, out_dir)
    finally:
        stop(app, mock)
    return finish()


def generate(studio, prompt_node):
    click_node(prompt_node)
    time.sleep(0.3)
    rawinput.keyCombo("<Control>a")
    rawinput.pressKey("BackSpace")
    rawinput.typeText(PROMPT)
    button = studio.child(name="Generate", roleName="button", retry=False)
    ok(wait_for(lambda: button.sensitive), "Generate is available")
    click_node(button)


def run(app, out_dir):
    studio = wait_for(lambda: tree.root.application("seedream-studio"), timeout=30)
    if studio is None:
        bail("the app never appeared in the accessibility tree")
    prompt = wait_for(lambda: studio.child(name="Prompt", roleName="text", retry=False))
    if prompt is None:
        bail("no prompt box")

    generate(studio, prompt)
    saved = wait_for(lambda: [f for f in os.listdir(out_dir) if NAME.match(f)], timeout=90)
    ok(bool(saved), f"the image is copied into the chosen folder, named for people (found {os.listdir(out_dir)})")
    save_all = wait_for(lambda: studio.child(name="Save All…", roleName="button", retry=False))
    if not ok(save_all is not None, "the task offers Save All once its image is here"):
        names = [n.name for n in studio.findChildren(predicate.GenericPredicate(roleName="button"))]
        print(f"# buttons: {names}", flush=True)

    exiv2 = shutil.which("exiv2")
    if saved and exiv2:
        out = subprocess.run([exiv2, "-PXkv", os.path.join(out_dir, saved[0])],
                             capture_output=True, text=True).stdout
        ok("Xmp.iptcExt.DigitalSourceType" in out and
           "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia" in out,
           "the saved file's XMP marks it as made by a trained algorithm")
        ok(PROMPT in out, "the saved file's XMP holds the prompt")
        ok("Seedream Studio" in out and "Xmp.xmp.CreatorTool" in out, "the saved file's XMP names the tool")
    elif saved:
        skip("the saved file's XMP", "the exiv2 tool is not installed")

    # The folder goes away: the next image stays in the app, and the
    # window says so once, with a way to choose another.
    shutil.rmtree(out_dir)
    generate(studio, prompt)
    said = wait_for(lambda: labels_containing(studio, "is gone"), timeout=90)
    ok(bool(said), "a vanished folder is said in words")
    ok(studio.child(name="Choose Folder…", roleName="button", retry=False) is not None,
       "the message offers Choose Folder…")
    ok(not os.path.exists(out_dir), "the vanished folder is not made again")
    ok(app.poll() is None, "the app is still running")


if __name__ == "__main__":
    sys.exit(main())
