"""Supervision in the admin: the dashboard, appeals to decide, and senior citizens' visits.

Each view is permission-gated and jurisdiction-scoped; decisions and visits go through
services.appeals and services.seniors, which check the officer's role again.
"""

from datetime import datetime, time

from flask import abort, current_app, flash, redirect, request, send_file, url_for
from flask_admin import BaseView, expose
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from app.constants import IST
from app.i18n import current_language
from app.models import Appeal, SeniorCitizen, Upload
from app.services import (
    access,
    appeals,
    charts,
    dashboard,
    deadlines,
    health,
    seniors,
    service_types,
    uploads,
)

from .base import SecuredView, state_services


class SupervisionView(SecuredView, BaseView):
    """Overdue work by station and service, escalations, appeals and disposal times."""

    view_permission = "dashboard.view"

    @expose("/")
    def index(self):
        figures = dashboard.summary(current_user)
        limits = {}
        for code in figures["disposal"]:
            live = service_types.live(current_user.state, code) if current_user.state else None
            sla = (live.definition.get("sla") or {}) if live else {}
            limits[code] = sla.get("limit")
        names = dict(state_services())
        waiting = health.queue_lengths(current_app.config.get("REDIS_URL"))
        return self.render(
            "admin/supervision.html",
            figures=figures,
            names=names,
            charts=_supervision_charts(figures, names),
            limits=limits,
            chain=lambda r: deadlines.chain(service_types.definition_of(r)),
            queue=(waiting or {}).get("celery"),
        )


def _supervision_charts(figures, names):
    """The dashboard's figures as bar charts; the template shows each with its table."""
    series = charts.Series
    status = [
        series("overdue", _("Overdue"), "hatch"),
        series("on_time", _("Within the time limit"), "solid"),
        series("paused", _("Waiting for the applicant"), "dots"),
    ]
    open_rows = [
        (names.get(code, code), counts) for code, counts in sorted(figures["open"].items())
    ]
    by_station = {}
    for station, _service, count in figures["overdue"]:
        by_station[station] = by_station.get(station, 0) + count
    within = [
        (names.get(code, code), {"share": round(100 * d["within_limit"] / d["closed"])})
        for code, d in sorted(figures["disposal"].items())
    ]
    decided = [
        series("within_limit", _("Decided within the limit"), "solid"),
        series("late", _("Decided late"), "hatch"),
    ]
    months = [(format_date(start.date(), "MMM yyyy"), tally) for start, tally in figures["months"]]
    return {
        "open": charts.bar_chart(_("Open requests by service and status"), status, open_rows),
        "overdue": charts.bar_chart(
            _("Overdue requests by police station"),
            [series("count", _("Overdue"), "hatch")],
            [(station, {"count": n}) for station, n in sorted(by_station.items())],
        ),
        "within": charts.bar_chart(
            _("Decided within the Citizens Charter limit, this month and the two before"),
            [series("share", _("Within the limit"), "solid")],
            within,
            maximum=100,
            unit="%",
        ),
        "months": charts.bar_chart(_("Requests decided per month"), decided, months),
    }


class AppealsView(SecuredView, BaseView):
    """Appeals in the officer's jurisdiction; the authority decides them here."""

    view_permission = "appeals.view"

    def _get(self, key):
        found = access.get_scoped(Appeal, current_user, key=key)
        return found or abort(404)

    @expose("/")
    def index(self):
        status = request.args.get("status", "pending", type=str)
        query = access.scoped(Appeal.objects, current_user)
        if status in ("pending", "allowed", "dismissed"):
            query = query.filter(status=status)
        rows = list(query.order_by("due_at").limit(200))
        return self.render(
            "admin/appeals.html",
            rows=rows,
            status=status,
            names=dict(state_services()),
            can_decide=lambda a: appeals.can_decide(a, current_user),
        )

    @expose("/<key>", methods=["GET", "POST"])
    def details(self, key):
        appeal = self._get(key)
        errors, code = {}, 200
        if request.method == "POST":
            try:
                appeals.decide(
                    appeal,
                    current_user,
                    request.form.get("outcome", "", type=str),
                    request.form.get("remark", "", type=str),
                )
            except appeals.AppealError as error:
                errors, code = error.errors, error.http_status
            else:
                flash(_("The decision on appeal %(number)s is recorded.", number=appeal.number))
                return redirect(url_for(".details", key=key))
        page = self.render(
            "admin/appeal_details.html",
            appeal=appeal,
            errors=errors,
            may_decide=appeals.can_decide(appeal, current_user),
            names=dict(state_services()),
        )
        return page, code


class SeniorsView(SecuredView, BaseView):
    """Registered senior citizens, the next visit due, and the beat officer's visit record."""

    view_permission = "seniors.view"

    def _get(self, senior_id):
        from .fields import object_ids

        ids = object_ids([senior_id])
        found = access.get_scoped(SeniorCitizen, current_user, id=ids[0]) if ids else None
        return found or abort(404)

    @expose("/")
    def index(self):
        rows = list(
            access.scoped(SeniorCitizen.objects(status="enrolled"), current_user)
            .order_by("next_visit_due")
            .limit(500)
        )
        return self.render("admin/seniors.html", rows=rows, now=datetime.now(IST))

    @expose("/<senior_id>", methods=["GET", "POST"])
    def details(self, senior_id):
        senior = self._get(senior_id)
        errors, code = {}, 200
        if request.method == "POST" and request.form.get("action") == "end":
            try:
                seniors.end(senior, current_user, request.form.get("remark", "", type=str))
            except seniors.VisitError as error:
                errors, code = error.errors, error.http_status
            else:
                flash(_("The registration has ended; no more visits fall due."))
                return redirect(url_for(".details", senior_id=senior_id))
        elif request.method == "POST":
            try:
                at = _visit_time(request.form.get("date", "", type=str))
                photo = request.files.get("photo")
                photo_id = None
                if photo and photo.filename:
                    photo_id = uploads.store(photo.stream, photo.filename, current_user).file_id
                seniors.record_visit(
                    senior, current_user, at, request.form.get("remarks", ""), photo_id
                )
            except uploads.UploadError as error:
                errors, code = {"photo": uploads.photo_refusal(error)}, 400
            except seniors.VisitError as error:
                errors, code = error.errors, error.http_status
            else:
                flash(_("Visit recorded."))
                return redirect(url_for(".details", senior_id=senior_id))
        return self.render(
            "admin/senior_details.html",
            photo_url=lambda index: url_for(".photo", senior_id=senior_id, index=index),
            senior=senior,
            errors=errors,
            may_record=seniors.can_record(current_user, senior),
            may_end=seniors.may_end(current_user, senior),
            status_text=seniors.MACHINE.public_text(senior.status, current_language()),
            today=datetime.now(IST).date().isoformat(),
        ), code

    @expose("/<senior_id>/photo/<int:index>")
    def photo(self, senior_id, index):
        senior = self._get(senior_id)
        if not 0 <= index < len(senior.visits) or not senior.visits[index].photo_file_id:
            abort(404)
        file_id = senior.visits[index].photo_file_id
        upload = Upload.objects(file_id=file_id).first()
        try:
            path = uploads.checked_path(file_id)
        except uploads.UploadError:
            abort(404)
        return send_file(path, mimetype=upload.mime if upload else "image/jpeg")


def _visit_time(text):
    """The visit's date from the form, at noon IST (the hour is not asked), or None.

    A visit today counts from now, not noon, so a morning entry is not "in the future".
    """
    try:
        day = datetime.strptime(text.strip(), "%Y-%m-%d").date()
    except ValueError:
        return None
    now = datetime.now(IST)
    return now if day == now.date() else datetime.combine(day, time(12, 0), tzinfo=IST)
