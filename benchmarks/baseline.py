"""The raw baseline of benchmarks/hot_pages.py: a bare WSGI app, served by gunicorn with the
portal's own settings, doing what each measured call of the portal does at its core with one
pymongo call and nothing else (no framework, no sessions, no checks, no events).

    GET  /status/<number>   find_one by number, the fields the public status shows, as JSON
    POST /requests          insert_one of a request-shaped document built from the JSON body
"""

import json
import os
import uuid
from datetime import UTC, datetime

from pymongo import MongoClient

_collection = MongoClient(os.environ["MONGODB_URI"]).get_default_database()["service_requests"]
_FIELDS = {"_id": 0, "number": 1, "service": 1, "status": 1, "submitted_at": 1, "due_at": 1}


def _reply(start_response, status, body):
    data = json.dumps(body, default=str).encode()
    start_response(
        status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))]
    )
    return [data]


def app(environ, start_response):
    path, method = environ["PATH_INFO"], environ["REQUEST_METHOD"]
    if method == "GET" and path.startswith("/status/"):
        found = _collection.find_one({"number": path.rsplit("/", 1)[-1]}, _FIELDS)
        return _reply(start_response, "200 OK" if found else "404 Not Found", found or {})
    if method == "POST" and path == "/requests":
        size = int(environ.get("CONTENT_LENGTH") or 0)
        body = json.loads(environ["wsgi.input"].read(size) or b"{}")
        now = datetime.now(UTC)
        document = {
            "number": f"BASE-{uuid.uuid4().hex[:16]}",
            "service": body.get("service"),
            "data": body.get("data") or {},
            "status": "submitted",
            "submitted_at": now,
            "history": [{"at": now, "action": "submit", "to_state": "submitted"}],
        }
        _collection.insert_one(document)
        return _reply(start_response, "201 Created", {"number": document["number"]})
    return _reply(start_response, "404 Not Found", {})
