"""/open-data: the datasets with their metadata and data dictionary, as CSV and JSON files."""

from flask import Blueprint, abort, current_app, render_template, send_file

from app.services import open_data

bp = Blueprint("open_data", __name__)


def publisher():
    return current_app.config.get("OPEN_DATA_PUBLISHER", "State Police")


@bp.get("/open-data")
def index():
    listed = []
    for name, dataset in open_data.datasets().items():
        meta = open_data.read_metadata(name)
        listed.append((name, dataset, meta))
    return render_template(
        "open_data/index.html",
        datasets=listed,
        publisher=publisher(),
        licence=open_data.LICENCE,
        licence_url=open_data.LICENCE_URL,
        frequency=open_data.FREQUENCY,
    )


@bp.get("/open-data/<name>.<extension>")
def download(name, extension):
    path = open_data.file_path(name, extension, publisher())
    if path is None:
        abort(404)
    mimetype = "text/csv" if extension == "csv" else "application/json"
    return send_file(
        path, mimetype=mimetype, as_attachment=True, download_name=f"{name}.{extension}"
    )
