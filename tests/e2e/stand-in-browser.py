#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A stand-in browser for test-sign-in.py, registered as the desktop's
x-scheme-handler/https handler: it gets the sign-in link as its argument,
does what the sign-in page does (POSTs token=<key> as a form to the link's
redirect_uri), then posts once more, as a page that replays would.

Usage: stand-in-browser.py TOKEN_FILE LOG_FILE LINK
The key is read from TOKEN_FILE, never given on a command line; LOG_FILE
gets one JSON line of what happened (without the key)."""

import json
import sys
import urllib.error
import urllib.parse
import urllib.request


def post(url, form):
    data = urllib.parse.urlencode(form).encode()
    request = urllib.request.Request(url, data=data, method="POST",
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    # No proxy: the callback is on loopback.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")
    except OSError as error:
        return 0, str(error)


def main():
    token_file, log_file, link = sys.argv[1], sys.argv[2], sys.argv[3]
    with open(token_file) as f:
        token = f.read().strip()
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(link).query)
    redirect = query.get("redirect_uri", [""])[0]
    record = {"link": link, "redirect_uri": redirect, "key_name": query.get("key_name", [""])[0]}
    record["status"], page = post(redirect, {"token": token})
    record["page"] = page
    record["replay_status"], _ = post(redirect, {"token": "planted-by-replay"})
    with open(log_file, "a") as f:
        f.write(json.dumps(record) + "\n")


if __name__ == "__main__":
    main()
