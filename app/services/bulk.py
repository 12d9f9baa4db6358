"""Bulk filing from a CSV file: a hotel's guest list becomes one C-Form request per row.

The columns are the service's field names (files cannot travel in a CSV; a service that requires
one cannot be filed in bulk). Every row is checked first, exactly as a single submission would
be (answers, routing, the caller's and the API key's scope), without writing anything. Then:

- mode "all" (the default): one bad row and nothing is imported; each error names its row and
  field;
- mode "valid": the rows that passed are imported and the others reported.

Each row is submitted under an idempotency key made of the file's digest and the row's number,
so sending the same file again (after a timeout, say) files nothing twice.
"""

import csv
import hashlib
import io

from flask_babel import lazy_gettext as _l

from . import requests as request_service
from .errors import FieldErrors
from .field_types import TYPES

MAX_ROWS = 1000
MAX_BYTES = 2 * 1024 * 1024
MODES = ("all", "valid")


class BulkError(FieldErrors):
    """The file as a whole cannot be read (not CSV, too big, wrong columns)."""


def _rows(raw, definition):
    if len(raw) > MAX_BYTES:
        raise BulkError({"file": _l("The file is larger than 2 MB.")})
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BulkError({"file": _l("Save the file as CSV in UTF-8.")}) from None
    reader = csv.DictReader(io.StringIO(text))
    columns = [c.strip() for c in reader.fieldnames or []]
    fields = {f["name"]: f for f in definition["fields"]}
    unknown = [c for c in columns if c not in fields and c != "station"]
    if unknown:
        raise BulkError({"file": _l("Unknown column: %(name)s.", name=unknown[0])})
    missing = [n for n, f in fields.items() if f.get("required") and n not in columns]
    if missing:
        raise BulkError({"file": _l("Missing column: %(name)s.", name=missing[0])})
    rows: list[dict[str, str]] = []
    for row in reader:
        if len(rows) >= MAX_ROWS:
            raise BulkError({"file": _l("At most %(count)d rows in one file.", count=MAX_ROWS)})
        cleaned = {k.strip(): (v or "").strip() for k, v in row.items() if k}
        if any(cleaned.values()):
            rows.append(cleaned)
    if not rows:
        raise BulkError({"file": _l("The file has no rows.")})
    return rows


def import_csv(user, live, raw, *, mode="all", language="en", stations=None, now=None):
    """{"imported": [numbers], "errors": [{row, field, message}], "rows": n}; BulkError for a
    file that cannot be read. Row numbers count the header as row 1, as spreadsheets do."""
    definition = live.definition
    if mode not in MODES:
        raise BulkError({"mode": _l("Choose all or valid.")})
    if any(TYPES[f["type"]].widget == "file" and f.get("required") for f in definition["fields"]):
        raise BulkError({"file": _l("This service needs files and cannot be filed in bulk.")})
    rows = _rows(raw, definition)
    digest = hashlib.sha256(raw).hexdigest()[:24]
    errors, valid = [], []
    for index, row in enumerate(rows, start=2):
        station = row.pop("station", "") or None
        data = {k: v for k, v in row.items() if v != ""}
        try:
            request_service.submit(
                user,
                live.code,
                data,
                station,
                now=now,
                language=language,
                stations=stations,
                dry_run=True,
            )
        except request_service.NotAllowed:
            errors.append(
                {"row": index, "field": "station", "message": str(_l("Not allowed here."))}
            )
        except FieldErrors as error:
            errors += [
                {"row": index, "field": field, "message": str(message)}
                for field, message in error.errors.items()
            ]
        else:
            valid.append((index, data, station))
    if errors and mode == "all":
        return {"imported": [], "errors": errors, "rows": len(rows)}
    imported = []
    for index, data, station in valid:
        created, _new = request_service.submit_once(
            user,
            live.code,
            data,
            station,
            key=f"bulk:{digest}:{index}",
            now=now,
            language=language,
            stations=stations,
            bulk=True,
        )
        imported.append(created.number)
    return {"imported": imported, "errors": errors, "rows": len(rows)}
