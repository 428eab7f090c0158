#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""End-to-end test in Simplified Chinese: the app runs under
LANG=zh_CN.UTF-8 (LANGUAGE=zh_CN) with the build's own translations
(SEEDREAM_LOCALEDIR, the build's po/ folder) against the mock server, and
is driven through the accessibility tree by its Chinese names: the prompt,
the resolution, the number of images and Generate. One submission is made;
its task row must speak Chinese (the status, the number of images, Copy
Task ID), and a count in a message is grouped the Chinese way.

Run inside tests/xvfb-session (an X server plus session and a11y buses).
Usage: test-locale.py APP MOCK_SERVER
Prints TAP."""

import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from seedream_e2e import (app_environment, bail, click_node, configure, finish, http, ok,  # noqa: E402  (prints the TAP header)
                          start_app, start_mock, stop, type_into, wait_for)
from dogtail import tree, predicate  # noqa: E402

configure(delay=0.3, cutoff=20)

# The names the zh_CN translation gives (po/zh_CN.po).
PROMPT = "提示词"
RESOLUTION = "分辨率"
NUMBER_OF_IMAGES = "图像数量"
GENERATE = "生成"          # the button's label is “生成(_G)”
CUSTOM_SIZE = "自定义尺寸"
WIDTH, HEIGHT = "宽度", "高度"
COPY_TASK_ID = "复制任务 ID"
DONE = "完成"
MAIN_MENU = "主菜单"


def nodes(app, role):
    return app.findChildren(predicate.GenericPredicate(roleName=role))


def named(app, role, test):
    return [n for n in nodes(app, role) if n.showing and test(n.name or "")]


def main():
    app_path, mock_path = sys.argv[1], sys.argv[2]
    localedir = os.environ.get("SEEDREAM_LOCALEDIR", "")
    if not os.path.exists(os.path.join(localedir, "zh_CN", "LC_MESSAGES", "seedream-studio.mo")):
        bail(f"no zh_CN translation built under SEEDREAM_LOCALEDIR={localedir!r}")
    workdir = tempfile.mkdtemp(prefix="seedream-e2e-locale-")
    key = "e2e-" + os.urandom(8).hex()

    mock, base = start_mock(mock_path, key, "--task-seconds", "3")
    env = app_environment(base, key, workdir, LANG="zh_CN.UTF-8", LANGUAGE="zh_CN", LC_ALL="zh_CN.UTF-8")
    app = start_app(app_path, env)
    try:
        run(base)
    finally:
        stop(app, mock)
    return finish()


def run(base):
    studio = wait_for(lambda: tree.root.application("seedream-studio"), timeout=30)
    if studio is None:
        bail("the app never appeared in the accessibility tree")

    ok(wait_for(lambda: named(studio, "toggle button", lambda n: n == MAIN_MENU)
                or named(studio, "button", lambda n: n == MAIN_MENU)),
       f"the main menu is named {MAIN_MENU}")

    prompt = wait_for(lambda: studio.child(name=PROMPT, roleName="text", retry=False))
    if not ok(prompt is not None, f"the prompt box is named {PROMPT}"):
        bail("no prompt box by its Chinese name")
    type_into(prompt, "lighthouse")
    ok(wait_for(lambda: "lighthouse" in prompt.text), "typing into the prompt works")

    spin = wait_for(lambda: studio.child(name=NUMBER_OF_IMAGES, roleName="spin button", retry=False))
    ok(spin is not None, f"the number of images is named {NUMBER_OF_IMAGES}")

    resolution = wait_for(lambda: studio.child(name=RESOLUTION, retry=False))
    if not ok(resolution is not None, f"the resolution picker is named {RESOLUTION}"):
        bail("no resolution picker by its Chinese name")
    click_node(resolution)
    custom = wait_for(lambda: studio.child(name=CUSTOM_SIZE, roleName="label", retry=False), timeout=10)
    if ok(custom is not None, f"the resolution picker offers {CUSTOM_SIZE}"):
        click_node(custom)
        width = wait_for(lambda: studio.child(name=WIDTH, roleName="text", retry=False))
        height = wait_for(lambda: studio.child(name=HEIGHT, roleName="text", retry=False))
        if ok(width is not None and height is not None, f"{CUSTOM_SIZE} shows {WIDTH} and {HEIGHT}"):
            type_into(width, "3750", clear=True)
            type_into(height, "1250", clear=True)
            ok(wait_for(lambda: named(studio, "label", lambda n: n == "3750 × 1250 = 4,687,500 像素")),
               "the pixel count is in Chinese, grouped as zh_CN groups it")

    generate = wait_for(lambda: named(studio, "button", lambda n: n.startswith(GENERATE)
                                      and n.replace("_", "") in (GENERATE, GENERATE + "(G)")))
    if not ok(bool(generate), f"the Generate button is named {GENERATE}"):
        bail("no Generate button by its Chinese name")
    ok(wait_for(lambda: generate[0].sensitive), f"{GENERATE} is available")
    click_node(generate[0])

    copy = wait_for(lambda: named(studio, "button", lambda n: n == COPY_TASK_ID), timeout=30)
    ok(bool(copy), f"the task row has {COPY_TASK_ID}")
    log = http(base, "GET", "/mock/log")
    submits = [r for r in log if r.get("path") == "/v1/images/seedreamv45"]
    ok(len(submits) == 1, "one submission reached the mock")

    ok(wait_for(lambda: named(studio, "label", lambda n: n == DONE), timeout=60),
       f"the task row ends {DONE}")
    ok(wait_for(lambda: named(studio, "label", lambda n: "张图像" in n), timeout=10),
       "the task row counts its images in Chinese (… 张图像)")
    english = named(studio, "label", lambda n: n in ("Done", "Generate", "Copy Task ID", "Prompt", "Tasks"))
    ok(not english, f"no English left among the main labels ({[n.name for n in english]})")


if __name__ == "__main__":
    sys.exit(main())
