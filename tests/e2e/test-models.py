#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""End-to-end test of the models (issue #17), through the accessibility
tree against the mock server: choose Seedream 4.0 in the form's Model row,
see that the Resolution picker offers only its five ratios (the 2K the
form held is kept, marked, and Generate waits with the reason), pick 16:9,
Generate, and find /v1/images/seedreamv4 with category seedreamv4 in the
mock's log. Then a Seedream 5.0 Lite submission at 3K, the form changed
back to 4.5, and Reuse from the History page restores model and size.

Run inside tests/xvfb-session (an X server plus session and a11y buses).
Usage: test-models.py APP MOCK_SERVER
Prints TAP."""

import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from seedream_e2e import app_environment, bail, click_node, configure, finish, http, ok, start_app, start_mock, stop, type_into, wait_for  # noqa: E402  (prints the TAP header)
from dogtail import rawinput, tree, predicate  # noqa: E402

configure(delay=0.3, cutoff=20)

V4_RATIOS = ["1:1 Square", "4:3 Landscape", "3:4 Portrait", "16:9 Landscape", "9:16 Portrait"]
NOT_V4 = ["2K", "4K", "3K", "3:2 Landscape", "2:3 Portrait", "Custom size"]


def main():
    app_path, mock_path = sys.argv[1], sys.argv[2]
    workdir = tempfile.mkdtemp(prefix="seedream-e2e-models-")
    key = "e2e-" + os.urandom(8).hex()

    mock, base = start_mock(mock_path, key, "--task-seconds", "2")
    app = start_app(app_path, app_environment(base, key, workdir))
    try:
        run(base, app)
    finally:
        stop(app, mock)
    return finish()


def showing_labels(studio):
    return [n.name for n in studio.findChildren(predicate.GenericPredicate(roleName="label")) if n.showing]


def choose(studio, row_name, item):
    """Opens the combo row named row_name and clicks its item labelled item."""
    row = wait_for(lambda: studio.child(name=row_name, retry=False))
    if row is None:
        return False
    click_node(row)
    node = wait_for(lambda: [n for n in studio.findChildren(
        predicate.GenericPredicate(name=item, roleName="label")) if n.showing], timeout=10)
    if not node:
        rawinput.pressKey("Escape")
        return False
    click_node(node[-1])
    time.sleep(0.5)
    return True


def shows_in_row(studio, row_name, text):
    """Whether the combo row named row_name shows text (its selected item)."""
    row = studio.child(name=row_name, retry=False)
    return row is not None and any(n.name == text and n.showing for n in row.findChildren(
        predicate.GenericPredicate(roleName="label")))


def submits_to(base, path):
    return [r for r in http(base, "GET", "/mock/log") if r.get("path") == path and r.get("method") == "POST"]


def run(base, app):
    studio = wait_for(lambda: tree.root.application("seedream-studio"), timeout=30)
    if studio is None:
        bail("the app never appeared in the accessibility tree")

    prompt = wait_for(lambda: studio.child(name="Prompt", roleName="text", retry=False))
    if prompt is None:
        bail("no prompt box")
    type_into(prompt, "A quick sketch of a harbour, pencil")
    generate = wait_for(lambda: studio.child(name="Generate", roleName="button", retry=False))
    ok(wait_for(lambda: generate.sensitive), "Generate is available with the default model and size")

    model = studio.child(name="Model", retry=False)
    if not ok(model is not None and shows_in_row(studio, "Model", "Seedream 4.5"),
              "the form has a Model row showing Seedream 4.5"):
        bail("no Model row")

    # Seedream 4.0: only its five ratios.
    click_node(model)
    items = wait_for(lambda: [n for n in studio.findChildren(
        predicate.GenericPredicate(name="Seedream 4.0", roleName="label")) if n.showing], timeout=10)
    ok(bool(items) and "Seedream 5.0 Lite" in showing_labels(studio),
       "the Model list names the three models")
    ok("Fast, for quick drafts" in showing_labels(studio), "each model has a line on what it is good for")
    if not items:
        bail("no Seedream 4.0 item")
    click_node(items[-1])
    time.sleep(0.5)
    ok(wait_for(lambda: shows_in_row(studio, "Model", "Seedream 4.0")), "Seedream 4.0 is chosen")

    # The 2K the form held is not changed behind the person's back.
    ok(wait_for(lambda: shows_in_row(studio, "Resolution", "2K (not offered)")),
       "the 2K the form held is kept and marked")
    ok(wait_for(lambda: any("Seedream 4.0 does not take 2K" in (t or "") for t in showing_labels(studio))),
       "the form says why 2K does not fit Seedream 4.0")
    ok(wait_for(lambda: not generate.sensitive), "Generate waits while the size does not fit")

    click_node(studio.child(name="Resolution", retry=False))
    offered = wait_for(lambda: [t for t in showing_labels(studio) if t in V4_RATIOS], timeout=10) or []
    labels = showing_labels(studio)
    ok(sorted(offered) == sorted(V4_RATIOS) and not any(t in labels for t in NOT_V4),
       f"the Resolution picker offers only 4.0's five ratios (offered {sorted(set(offered))})")
    ratio = [n for n in studio.findChildren(
        predicate.GenericPredicate(name="16:9 Landscape", roleName="label")) if n.showing]
    if not ratio:
        bail("no 16:9 item")
    click_node(ratio[-1])
    ok(wait_for(lambda: generate.sensitive), "Generate is available again with 16:9")

    click_node(generate)
    v4 = wait_for(lambda: submits_to(base, "/v1/images/seedreamv4"), timeout=30)
    fields = v4[-1].get("fields", {}) if v4 else {}
    ok(bool(v4) and v4[-1].get("status") == 200 and fields.get("category") == "seedreamv4"
       and fields.get("resolution") == "16:9",
       f"the mock logs /v1/images/seedreamv4 with category seedreamv4 and 16:9 ({fields})")
    ok(wait_for(lambda: any((t or "").startswith("Seedream 4.0 · 16:9") for t in showing_labels(studio)),
                timeout=15),
       "the task row names the model")

    # A Seedream 5.0 Lite submission at 3K.
    type_into(prompt, "A lighthouse at dusk, oil on canvas", clear=True)
    ok(choose(studio, "Model", "Seedream 5.0 Lite") and choose(studio, "Resolution", "3K"),
       "Seedream 5.0 Lite and 3K can be chosen")
    ok(wait_for(lambda: generate.sensitive), "Generate is available for 5.0 Lite at 3K")
    click_node(generate)
    v5 = wait_for(lambda: submits_to(base, "/v1/images/seedreamv5"), timeout=30)
    fields = v5[-1].get("fields", {}) if v5 else {}
    ok(bool(v5) and fields.get("category") == "seedreamv5" and fields.get("resolution") == "3K",
       f"the mock logs /v1/images/seedreamv5 with category seedreamv5 and 3K ({fields})")
    # Wait for it to end, so History has it as it is.
    wait_for(lambda: [n for n in studio.findChildren(
        predicate.GenericPredicate(name="Result image 1 of 1")) if n.showing], timeout=30)

    # The form moves on: another model and size, another prompt.
    type_into(prompt, "Something else entirely", clear=True)
    choose(studio, "Model", "Seedream 4.5")
    choose(studio, "Resolution", "4K")
    ok(wait_for(lambda: shows_in_row(studio, "Model", "Seedream 4.5") and shows_in_row(studio, "Resolution", "4K")),
       "the form is changed to Seedream 4.5 at 4K")

    history_tab = wait_for(lambda: studio.findChildren(
        lambda n: n.name == "History" and n.roleName != "panel" and n.showing))
    if not ok(bool(history_tab), "the History page can be opened"):
        return
    click_node(history_tab[0])
    ok(wait_for(lambda: any("Seedream 5.0 Lite · 3K" in (t or "") for t in showing_labels(studio))),
       "History names the model and size of the 5.0 Lite submission")
    # The newest submission is listed first.
    reuse = wait_for(lambda: [n for n in studio.findChildren(
        predicate.GenericPredicate(name="Reuse", roleName="button")) if n.showing])
    if not ok(bool(reuse), "History offers Reuse"):
        return
    click_node(reuse[0])
    ok(wait_for(lambda: "lighthouse" in (prompt.text or "")), "Reuse puts the 5.0 Lite prompt back")
    ok(wait_for(lambda: shows_in_row(studio, "Model", "Seedream 5.0 Lite")), "Reuse restores the model")
    ok(wait_for(lambda: shows_in_row(studio, "Resolution", "3K")), "Reuse restores the size")
    ok(wait_for(lambda: generate.sensitive), "the reused submission can be generated again")
    ok(app.poll() is None, "the app is still running")


if __name__ == "__main__":
    sys.exit(main())
