#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks the Flatpak manifest against the project: app id, command, and a
sandbox limited to network, IPC, Wayland/X11 and GPU (files go through
portals, so no --filesystem and no --talk-name are allowed), and the
libraries the runtime lacks (exiv2, gexiv2) built from pinned sources."""

import json
import re
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
    # The GNOME runtime has neither exiv2 nor gexiv2: both are built, from
    # pinned, checksummed archives, before the app.
    names = [m.get("name") if isinstance(m, dict) else None for m in modules]
    for lib in ("exiv2", "gexiv2"):
        module = modules[names.index(lib)] if lib in names else {}
        archives = [s for s in module.get("sources", []) if s.get("type") == "archive"]
        check(lib in names and names.index(lib) < len(modules) - 1,
              f"{lib} is built as a module before the app")
        check(len(archives) == 1 and re.fullmatch(r"[0-9a-f]{64}", archives[0].get("sha256", "")) is not None
              and re.search(r"\d+\.\d+\.\d+", archives[0].get("url", "")) is not None,
              f"{lib} comes from one versioned archive with a sha256")
    check("exiv2" in names and "gexiv2" in names and names.index("exiv2") < names.index("gexiv2"),
          "exiv2 is built before gexiv2, which needs it")
    print(f"1..{7 + 5}")
    return 1 if failures else 0

if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
