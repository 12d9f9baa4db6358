"""The API's documentation page at /api/docs, rendered on the server from the same generated
OpenAPI document as /api/v1/openapi.json: no script, no outside address, the portal's style."""

from flask import Blueprint, render_template

from .api.openapi import document

bp = Blueprint("api_docs", __name__)
METHOD_ORDER = ("get", "post", "put", "delete")


@bp.get("/api/docs")
def index():
    spec = document()
    groups = {}
    for path, operations in spec["paths"].items():
        for method in METHOD_ORDER:
            operation = operations.get(method)
            if operation is not None:
                groups.setdefault(operation["tags"][0], []).append((method, path, operation))
    services = sorted(
        {
            (name.split(".")[2], schema["title"].rsplit(" (", 1)[0])
            for name, schema in spec["components"]["schemas"].items()
            if name.startswith("Request.")
        }
    )
    return render_template("api_docs.html", spec=spec, groups=groups, services=services)
