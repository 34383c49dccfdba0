#!/usr/bin/env python3
"""Write, read and delete a key through quartet's HTTP API with Python's standard library.

Usage: python3 examples/http/client.py [BASE_URL]   (default http://127.0.0.1:8080)
"""
import json
import sys
import urllib.error
import urllib.parse
import urllib.request

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8080"


def call(method, key, level, value=None):
    url = f"{BASE}/kv/{urllib.parse.quote(key, safe='')}?level={level}"
    data = None if value is None else value.encode("utf-8")
    request = urllib.request.Request(url, data=data, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:  # 404 not found, 503 unavailable, 504 timeout...
        return error.code, json.load(error)


def show(status, body):
    replicas = " ".join(f"n{r['node']} {r['state']}" for r in body.get("replicas", []))
    outcome = body["error"]["code"] if not body["ok"] else body.get("value")
    print(f"{status} {body.get('op')} {body.get('key')} {body.get('level')}: {outcome}  [{replicas}]")


show(*call("PUT", "greeting", "all", "grüezi"))
show(*call("GET", "greeting", "one"))
show(*call("DELETE", "greeting", "quorum"))
show(*call("GET", "greeting", "all"))
