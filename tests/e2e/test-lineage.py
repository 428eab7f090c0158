#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""End-to-end test of iterating (issue #19), through the accessibility
tree against the mock server: generate, use the result as the source of a
second submission, generate again (its task row says "From: <the first
prompt>"), compare the two results (picked in
the Tasks list, then Compare; and Compare With Source on the second),
and follow the chain back from the History page ("From: <the first
prompt>", then the chain dialog).

Run inside tests/xvfb-session. Usage: test-lineage.py APP MOCK_SERVER
Prints TAP."""

import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from seedream_e2e import app_environment, bail, click_node, configure, finish, ok, start_app, start_mock, stop, type_into, wait_for  # noqa: E402  (prints the TAP header)
from dogtail import predicate, rawinput, tree  # noqa: E402

configure(delay=0.3, cutoff=20)

FIRST = "a paper kite over the dunes"
SECOND = "the same kite at dusk"

# The item of a result's menu, by its place (create_menu() in
# seedream-result-thumbnail.c): GTK's popover menu items have no
# accessible names here, so they are found by place.
USE_AS_SOURCE = 5
PICK_FOR_COMPARISON = 6
COMPARE_WITH_SOURCE = 7


def named(studio, name, role=None):
    return [n for n in studio.findChildren(predicate.GenericPredicate(roleName=role) if role
                                           else lambda n: True)
            if (n.name or "").replace("_", "") == name and n.showing]


def starting(studio, prefix):
    return [n for n in studio.findChildren(lambda n: (n.name or "").startswith(prefix) and n.showing)]


def menu_items(studio):
    return [i for i in studio.findChildren(
        lambda i: i.roleName in ("menu item", "check menu item") and i.showing)]


def menu_item(studio, menu_button, index, check=False):
    """Opens a result's menu and activates its item at index: the items
    of the menu that opened under this button, top to bottom. A check
    item leaves its menu open (GtkModelButton closes the popover only for
    plain items), so with check the menu is closed with Escape, as a
    person would; otherwise it would stay over the next tile's button and
    take the next click. Returns whether the menu opened and closed."""
    if not wait_for(lambda: not menu_items(studio), timeout=5):
        return False
    click_node(menu_button)
    top = menu_button.position[1]

    def items_here():
        items = sorted((i for i in menu_items(studio) if 0 <= i.position[1] - top <= 420),
                       key=lambda i: i.position[1])
        return items if len(items) > index else None

    items = wait_for(items_here, timeout=10)
    if not items:
        return False
    click_node(items[index])
    if check:
        time.sleep(0.3)
        rawinput.pressKey("Escape")
    return bool(wait_for(lambda: not menu_items(studio), timeout=5))


def result_menu(studio, prompt):
    """The menu button of the result in the Tasks list's row of prompt.
    Found by its row, not by name alone: the name "Actions for result
    image 1 of 1" is also the menu button's inner toggle button's and the
    open menu's, and every submission's single result has it; nor by
    place, since rows move as results arrive and the compare bar shows."""
    tasks = studio.child(name="Submissions", roleName="list", retry=False)
    for row in tasks.findChildren(predicate.GenericPredicate(roleName="list item")):
        if row.findChild(lambda n: n.name == prompt, retry=False, requireResult=False) is None:
            continue
        buttons = row.findChildren(lambda n: n.roleName == "toggle button"
                                   and (n.name or "").startswith("Actions for result image ") and n.showing)
        return buttons[0] if len(buttons) == 1 else None
    return None


def close_dialog(studio, title):
    rawinput.pressKey("Escape")
    return wait_for(lambda: not starting(studio, title), timeout=10) is not None


def compare(studio):
    """Picks the first submission's result, then the second's, compares
    them, then compares the second with its source."""
    first = result_menu(studio, FIRST)
    second = result_menu(studio, SECOND)
    ok(menu_item(studio, first, PICK_FOR_COMPARISON, check=True)
       and wait_for(lambda: starting(studio, "1 image picked for comparison"), timeout=10) is not None,
       "the first result is picked for comparison")
    ok(menu_item(studio, second, PICK_FOR_COMPARISON, check=True)
       and wait_for(lambda: starting(studio, "2 images picked for comparison"), timeout=10) is not None,
       "the second result is picked too, the first stays picked")

    button = wait_for(lambda: [b for b in named(studio, "Compare", "button") if b.sensitive], timeout=10)
    if not ok(bool(button), "Compare can be pressed"):
        return
    button[0].doActionNamed("click")

    def images():
        found = sorted(starting(studio, "Image "), key=lambda n: (n.position[0], n.position[1]))
        return found if len(found) == 2 else None

    found = wait_for(images, timeout=20)
    ok(found is not None and [n.name for n in found] == ["Image 1: " + FIRST, "Image 2: " + SECOND]
       and all(n.roleName == "image" for n in found),
       "the compare view names both images by number and prompt, in the picked order")
    ok(close_dialog(studio, "Image 1: "), "Escape closes the compare view")

    ok(menu_item(studio, second, COMPARE_WITH_SOURCE), "the second result's menu offers Compare With Source")
    slider = wait_for(lambda: named(studio, "Before and After", "slider"), timeout=20)
    ok(bool(slider) and wait_for(lambda: starting(studio, f"Left: {FIRST}\nRight: {SECOND}"), timeout=5),
       "it opens the before/after slider: the first result, then the second")
    ok(close_dialog(studio, "Left: "), "Escape closes the slider")


def generate(studio, prompt_text):
    prompt = wait_for(lambda: studio.child(name="Prompt", roleName="text", retry=False))
    type_into(prompt, prompt_text, clear=True)
    button = wait_for(lambda: [b for b in named(studio, "Generate", "button") if b.sensitive], timeout=20)
    if not button:
        return False
    button[0].doActionNamed("click")
    return True


def run(studio):
    if not ok(generate(studio, FIRST), "the first prompt is sent"):
        return
    menus = wait_for(lambda: starting(studio, "Actions for result image 1 of 1"), timeout=60)
    if not ok(bool(menus), "the first result arrives"):
        return
    ok(menu_item(studio, menus[0], USE_AS_SOURCE), "its menu offers Use as Source")
    ok(wait_for(lambda: starting(studio, "Remove 0."), timeout=15) is not None,
       "the result is now a source image of the form")

    if not ok(generate(studio, SECOND), "the second prompt is sent, from the first result"):
        return
    if not ok(wait_for(lambda: result_menu(studio, SECOND), timeout=60) is not None
              and wait_for(lambda: result_menu(studio, FIRST), timeout=10) is not None,
              "the second result arrives beside the first"):
        return
    ok(wait_for(lambda: named(studio, "From: " + FIRST, "button"), timeout=10) is not None,
       "the second task's row says it came from the first")

    compare(studio)

    # The chain, back from the History page.
    history_tab = wait_for(lambda: studio.findChildren(
        lambda n: n.name == "History" and n.roleName != "panel" and n.showing))
    if not ok(bool(history_tab), "the History page can be opened"):
        return
    click_node(history_tab[0])
    link = wait_for(lambda: named(studio, "From: " + FIRST, "button"), timeout=20)
    if not ok(bool(link), "the second submission says it came from the first"):
        return
    click_node(link[0])
    ok(wait_for(lambda: starting(studio, "Made From Its Images"), timeout=20) is not None
       and wait_for(lambda: starting(studio, "This Submission"), timeout=5) is not None,
       "following it shows the first submission's chain, with what was made from it")


def main():
    app_path, mock_path = sys.argv[1], sys.argv[2]
    workdir = tempfile.mkdtemp(prefix="seedream-e2e-")
    key = "e2e-" + os.urandom(8).hex()

    mock, base = start_mock(mock_path, key, "--task-seconds", "2")
    app = start_app(app_path, app_environment(base, key, workdir))
    try:
        studio = wait_for(lambda: tree.root.application("seedream-studio"), timeout=30)
        if studio is None:
            bail("the app never showed up in the accessibility tree")
        run(studio)
        ok(app.poll() is None, "the app is still running")
    finally:
        stop(app, mock)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
