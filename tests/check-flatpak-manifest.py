#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks the Flatpak manifest against the project: app id, command, and a
sandbox limited to network, IPC, Wayland/X11 and GPU (files go through
portals, so no --filesystem and no --talk-name are allowed)."""

import json
import sys

ALLOWED_FINISH_ARGS = {
    "--share=network",
    "--share=ipc",
    "--socket=wayland",
    "--socket=fallback-x11",
    "--device=dri",
}

def main(path, app_id):
    with open(path, encoding="utf-8") as f:
        manifest = json.load(f)

    failures = []

    def check(condition, what):
        print(("ok" if condition else "not ok") + " - " + what)
        if not condition:
            failures.append(what)

    print("TAP version 13")
    manifest_id = manifest.get("id", manifest.get("app-id"))
    check(manifest_id == app_id, f"app id is {app_id} (found {manifest_id})")
    check(manifest.get("command") == "seedream-studio", "command is the seedream-studio binary")
    check(manifest.get("runtime") == "org.gnome.Platform" and manifest.get("sdk") == "org.gnome.Sdk",
          "builds on the GNOME runtime and SDK")
    finish_args = manifest.get("finish-args", [])
    check(set(finish_args) == ALLOWED_FINISH_ARGS and len(finish_args) == len(ALLOWED_FINISH_ARGS),
          "finish-args are exactly network, ipc, wayland, fallback-x11 and dri (found %s)" % finish_args)
    modules = manifest.get("modules", [])
    app_module = modules[-1] if modules else {}
    check(app_module.get("buildsystem") == "meson", "the app module builds with meson")
    check("-Ddevelopment=true" in app_module.get("config-opts", []),
          "the Devel manifest builds the development flavour")
    sources = app_module.get("sources", [])
    check(any(s.get("type") == "dir" and s.get("path") == ".." for s in sources),
          "the app module builds this checkout")
    print(f"1..{7}")
    return 1 if failures else 0

if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
