"""Today: a beat officer's visits on one phone screen — the address verifications assigned to
them that wait for a visit report, and the senior citizens of their stations whose visit is due
or overdue — each one tap from recording it (the report form takes a photo with the camera).

Bounded reads: the officer's assigned open requests (equality on assigned_to and is_open) and
each station's enrolled seniors (equality on station and status), never a station's history.
"""

from datetime import UTC, datetime, time, timedelta

from flask import url_for
from flask_admin import BaseView, expose
from flask_login import current_user

from app.constants import IST
from app.models import PoliceStation, SeniorCitizen, ServiceRequest
from app.models.base import as_utc
from app.services import access, service_types, workflow

from .base import SecuredView

MAX_ROWS = 100


def _address(definition, data):
    """The first address the form holds (the place an officer visits), or ""."""
    for spec in definition["fields"]:
        if "address" in spec["name"] and data.get(spec["name"]):
            return str(data[spec["name"]])
    return ""


def _mobile(definition, data):
    for spec in definition["fields"]:
        if spec["type"] == "phone" and data.get(spec["name"]):
            return str(data[spec["name"]])
    return ""


def visits_due(user, now):
    """[(request, report step, address, mobile)] assigned to `user` and waiting for a report."""
    rows = []
    open_work = ServiceRequest.objects(assigned_to=user.id, is_open=True).limit(MAX_ROWS)
    for found in sorted(open_work, key=lambda r: as_utc(r.due_at) if r.due_at else now):
        steps = [t for t, _role in workflow.available_actions(found, user) if t.get("report")]
        if steps:
            definition = service_types.definition_of(found)
            data = found.data or {}
            rows.append((found, steps[0], _address(definition, data), _mobile(definition, data)))
    return rows


def seniors_due(user, now):
    """Enrolled senior citizens of `user`'s stations whose visit falls due by tonight (IST)."""
    tonight = datetime.combine(now.astimezone(IST).date(), time(23, 59), IST).astimezone(UTC)
    rows = []
    for station in access.scoped(PoliceStation.objects, user).only("id").limit(20):
        for senior in SeniorCitizen.objects(station=station.id, status="enrolled"):
            if as_utc(senior.next_visit_due) <= tonight:
                rows.append(senior)
    return sorted(rows, key=lambda s: as_utc(s.next_visit_due))[:MAX_ROWS]


class TodayView(SecuredView, BaseView):
    view_permission = "requests.process"

    @expose("/")
    def index(self):
        now = datetime.now(UTC)
        return self.render(
            "admin/today.html",
            visits=visits_due(current_user, now),
            seniors=seniors_due(current_user, now)
            if current_user.has_permission("seniors.view")
            else [],
            now=now,
            overdue=lambda moment: moment is not None and as_utc(moment) < now,
            days_left=lambda moment: (
                (as_utc(moment) - now) // timedelta(days=1) if moment else None
            ),
            record_url=lambda found, step: (
                url_for("requests.details_view", id=str(found.id)) + f"#report-{step['action']}"
            ),
        )
