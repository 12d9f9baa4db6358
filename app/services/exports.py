"""Request registers as CSV, written by a worker with progress, for the officer who asked.

The rows are what the officer may see (services.access, with the owner's postings at the time the
worker runs), the register's columns only: no form answers, so no phone, address or Aadhaar
leaves in a spreadsheet. Cells that a spreadsheet would run as a formula are defused. A job run
twice (a redelivered task) writes the same file again; a finished job is left alone.
"""

import csv
import os
from datetime import UTC, datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l

from app import signals
from app.constants import IST
from app.models import ExportJob, PoliceStation, ServiceRequest
from app.models.base import as_utc

from . import access, catalogue, engine, service_types, uploads
from .errors import FieldErrors

KINDS = ("requests",)
BATCH = 200  # rows between progress updates
KEEP_FOR = timedelta(days=1)
COLUMNS = (
    "number",
    "service",
    "station",
    "status",
    "submitted",
    "due",
    "closed",
    "escalation_level",
    "applicant",
)


def start(user, kind, service=None):
    """A queued export of `kind` for `user`, or FieldErrors naming what is wrong."""
    if kind not in KINDS:
        raise FieldErrors({"kind": _l("Unknown export.")})
    if service and service not in {s.code for s in _services(user)}:
        raise FieldErrors({"service": _l("Choose a service of your state.")})
    job = ExportJob(owner=user, kind=kind, service=service or None).save()
    # A task subscribes (tasks/exports.py): the view that asked never imports a task.
    sender = current_app._get_current_object()  # type: ignore[attr-defined]  # the app behind the proxy
    signals.export_requested.send(sender, job_id=str(job.id))
    return job


def _services(user):
    return service_types.live_services(user.state) if user.state else []


def _query(job):
    query = access.scoped(ServiceRequest.objects, job.owner)
    if job.service:
        query = query.filter(service=job.service)
    return query.order_by("submitted_at")


def path_of(job):
    folder = os.path.join(uploads.directory(), "exports")
    os.makedirs(folder, exist_ok=True)
    return os.path.join(folder, f"{job.id}.csv")


def run(job_id, now=None):
    """Write the job's CSV, recording progress every BATCH rows. Returns the job."""
    job = ExportJob.objects(id=job_id).first()
    if job is None or job.status == "done":
        return job
    now = now or datetime.now(UTC)
    query = _query(job)
    total = query.count()
    engine.write_status(job, "running", set__started_at=now, set__total=total, set__written=0)
    stations = {s.id: s.code for s in PoliceStation.objects.only("code")}
    public: dict = {}
    written = 0
    try:
        with open(path_of(job), "w", newline="", encoding="utf-8-sig") as handle:
            writer = csv.writer(handle)
            writer.writerow(COLUMNS)
            for row in query.no_dereference().only(*_FIELDS).as_pymongo():
                writer.writerow(_row(row, stations, public))
                written += 1
                if written % BATCH == 0:
                    job.modify(set__written=written)
    except OSError as error:
        engine.write_status(job, "failed", set__error=str(error)[:300], set__finished_at=now)
        return job
    stamp = datetime.now(IST).strftime("%Y%m%d-%H%M")
    engine.write_status(
        job,
        "done",
        set__written=written,
        set__total=max(total, written),
        set__filename=f"{job.kind}-{job.service or 'all'}-{stamp}.csv",
        set__finished_at=datetime.now(UTC),
    )
    return job


_FIELDS = (
    "number",
    "state",
    "service",
    "service_version",
    "station",
    "status",
    "submitted_at",
    "due_at",
    "closed_at",
    "escalation_level",
    "applicant_name",
)


def _row(row, stations, public):
    key = (row["state"], row["service"], row.get("service_version"), row["status"])
    if key not in public:
        public[key] = _public_status(*key)
    return [
        safe_cell(value)
        for value in (
            row["number"],
            row["service"],
            stations.get(row["station"], ""),
            public[key],
            _when(row.get("submitted_at")),
            _when(row.get("due_at")),
            _when(row.get("closed_at")),
            row.get("escalation_level") or 0,
            row.get("applicant_name") or "",
        )
    ]


def _public_status(state_id, service, version, status):
    try:
        definition = service_types.definition_for(state_id, service, version)
        return catalogue.state_info(definition, status)["public"]["en"]
    except (KeyError, service_types.ServiceTypeError):
        return status


def _when(value):
    return as_utc(value).astimezone(IST).strftime("%Y-%m-%d %H:%M") if value else ""


def safe_cell(value):
    """A text cell that a spreadsheet would treat as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def visible_jobs(user, limit=20):
    return list(ExportJob.objects(owner=user.id).order_by("-created_at").limit(limit))


def purge(now=None):
    """Remove jobs and files older than KEEP_FOR (beat, hourly)."""
    cutoff = (now or datetime.now(UTC)) - KEEP_FOR
    removed = 0
    for job in ExportJob.objects(created_at__lt=cutoff):
        try:
            os.remove(path_of(job))
        except FileNotFoundError:
            pass
        job.delete()
        removed += 1
    return removed
