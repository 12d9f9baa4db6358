"""Officers' views of service requests: the list per service, a detail page with the form data,
attachments, history, notes and actions, and "My queue". Every change goes through
services.workflow; every query through services.access."""

from datetime import UTC, datetime

from flask import abort, flash, redirect, request, send_file, url_for
from flask_admin import BaseView, expose
from flask_admin.actions import action
from flask_admin.contrib.mongoengine.filters import BaseMongoEngineFilter
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from app.constants import IST
from app.i18n import current_language
from app.models import Fir, IssuedDocument, Posting, Role, ServiceRequest, User
from app.models.base import as_utc
from app.services import (
    access,
    audit,
    catalogue,
    documents,
    fees,
    firs,
    forms,
    request_search,
    service_types,
    transfers,
    uploads,
    workflow,
)

from ..transition_form import apply_posted_transition
from .base import ReadOnlyModelView, SecuredView, localized_name, state_services
from .fields import object_ids

QUEUE_SIZE = 200


def _report_lines(definition, entry, language):
    """[(label, value as shown)] of a history entry's structured report, in `language`."""
    if not entry.report:
        return []
    specs = {}
    for transition in definition["workflow"]["transitions"]:
        if transition["action"] == entry.action:
            specs.update({spec["name"]: spec for spec in transition.get("report") or []})
    lines = []
    for name, value in entry.report.items():
        spec = specs.get(name)
        if spec is None or spec["type"] == "file":
            continue  # a photo is among the attachments (report_<name>)
        label = spec["label"].get(language) or spec["label"]["en"]
        lines.append((label, forms.display(spec, value, language)))
    return lines


class OverdueFilter(BaseMongoEngineFilter):
    def apply(self, query, value):
        now = datetime.now(UTC)
        if value == "1":
            return query.filter(due_at__lt=now, is_open=True)
        return query

    def operation(self):
        return _l("is")

    def get_options(self, view):
        return [("1", _l("Yes"))]


class AssignedToMeFilter(BaseMongoEngineFilter):
    def apply(self, query, value):
        return query.filter(assigned_to=current_user.id) if value == "1" else query

    def operation(self):
        return _l("is")

    def get_options(self, view):
        return [("1", _l("Yes"))]


def _status_text(view, context, model, name):
    definition = service_types.definition_of(model)
    info = catalogue.state_info(definition, model.status)
    return info["public"].get(current_language()) or info["public"]["en"]


def _service_name(view, context, model, name):
    definition = service_types.definition_of(model)
    return definition["name"].get(current_language()) or definition["name"]["en"]


def _when(view, context, model, name):
    from app.views.filters import local_date

    value = getattr(model, name)
    text = local_date(value) if value else ""
    if name != "due_at" or not value or model.closed_at:
        return text
    now = datetime.now(UTC)
    if as_utc(value) < now:
        return f"{text} ({_('overdue')})"
    left = days_left(value, now)
    return f"{text} ({ngettext('%(num)d day left', '%(num)d days left', left)})"


def days_left(due_at, now):
    """Whole days (IST calendar days) until `due_at`; None without a deadline."""
    if due_at is None:
        return None
    due = as_utc(due_at).astimezone(IST).date()
    return max(0, (due - now.astimezone(IST).date()).days)


class RequestView(ReadOnlyModelView):
    view_permission = "requests.view"
    can_view_details = True
    details_template = "admin/request_details.html"
    list_template = "admin/request_list.html"
    column_list = (
        "number",
        "service",
        "applicant_name",
        "subject_name",
        "station",
        "status",
        "submitted_at",
        "due_at",
        "assigned_to",
    )
    column_labels = {
        "number": _l("Number"),
        "service": _l("Service"),
        "station": _l("Police station"),
        "status": _l("Status"),
        "submitted_at": _l("Submitted"),
        "due_at": _l("Due by"),
        "assigned_to": _l("Enquiry officer"),
        "applicant_name": _l("Applicant"),
        "subject_name": _l("About"),
    }
    column_formatters = {
        "status": _status_text,
        "service": _service_name,
        "station": localized_name("station"),
        "submitted_at": _when,
        "due_at": _when,
    }
    # The search box: services.request_search (number, name words, mobile, Aadhaar's last four).
    column_searchable_list = ("number",)

    def search_placeholder(self):
        return str(_("Number, name, mobile or Aadhaar last 4"))

    def _search(self, query, search_term):
        return request_search.narrow(query, search_term)

    column_default_sort = ("due_at", False)

    @property
    def column_filters(self):
        return [
            "status",
            "service",
            "submitted_at",
            OverdueFilter(ServiceRequest.due_at, _l("Overdue")),
            AssignedToMeFilter(ServiceRequest.assigned_to, _l("Assigned to me")),
        ]

    def get_query(self):
        query = super().get_query()
        code = request.args.get("service", "", type=str)
        if code and catalogue.CODE.match(code):
            query = query.filter(service=code)
        if self.open_only():
            query = query.filter(is_open=True)
        return query

    @staticmethod
    def open_only():
        """The default window is open work; history is asked for (view=all), or reached by a
        search or a filter, so the first page never sorts a station's whole history."""
        if request.endpoint != "requests.index_view" or request.args.get("view") == "all":
            return False
        return not (request.args.get("search") or any(k.startswith("flt") for k in request.args))

    def get_list(self, *args, **kwargs):
        count, query = super().get_list(*args, **kwargs)
        # The page's references (station, state, officers) in one query each, not one per row.
        return count, query.exclude(*ServiceRequest.LIST_EXCLUDES).select_related(max_depth=1)

    def render(self, template, **kwargs):
        if template == self.details_template and kwargs.get("model") is not None:
            kwargs.update(self._detail_context(kwargs["model"]))
        if template == self.list_template:
            kwargs["service_tabs"] = state_services()
            kwargs["current_service"] = request.args.get("service", "")
            kwargs["open_only"] = self.open_only()
        return super().render(template, **kwargs)

    def _detail_context(self, model):
        language = current_language()
        definition = service_types.definition_of(model)
        fields = [
            (spec, forms.display(spec, model.data.get(spec["name"]), language))
            for spec in definition["fields"]
            if spec["type"] != "file" and spec["name"] in model.data
        ]
        shown_ids = [spec["name"] for spec, _value in fields if spec["type"] == "aadhaar"]
        if shown_ids:
            # Who looked at whose identity number, even masked (DPDP: access to identifiers).
            audit.record(
                "identity.viewed",
                actor=current_user,
                target=model,
                state=model.state,
                fields=",".join(shown_ids),
            )
        officers = []
        if access.may(current_user, "requests.assign", model):
            # The station officers posted at the request's station.
            role = Role.objects(name="station_officer").first()
            postings = Posting.objects(station=model.station.id, role=role, active=True).limit(100)
            officers = [p.user for p in postings if p.user.active]
        return {
            "documents": list(IssuedDocument.objects(request=model.id)),
            "complaint_firs": list(Fir.objects(complaint=model.id)),
            # The definition says which state an FIR is registered from (`via: fir`).
            "fir_from_here": catalogue.fir_transition(definition, model.status) is not None,
            "fir_status": firs.status_text,
            "may_revoke": access.may(current_user, "requests.approve", model),
            "may_note": workflow.may_note(current_user, model),
            "may_record_fee": model.fee is not None and fees.may_record(current_user, model),
            "payment_modes": fees.OFFICER_MODES,
            "mode_labels": fees.MODE_LABELS,
            "definition": definition,
            "fields": fields,
            "info": catalogue.state_info(definition, model.status),
            "actions": workflow.available_actions(model, current_user),
            "officers": officers,
            "language": language,
            "report_lines": lambda entry: _report_lines(definition, entry, language),
            **self._transfer_context(model),
        }

    @staticmethod
    def _transfer_context(model):
        may_transfer = transfers.may_decide(current_user, model)
        may_propose = transfers.may_propose(current_user, model)
        return {
            "may_transfer": may_transfer,
            "may_propose_transfer": may_propose,
            "transfer_stations": transfers.stations_to(model)
            if may_transfer or may_propose
            else [],
        }

    @expose("/transfer/<request_id>", methods=["POST"])
    def transfer(self, request_id):
        """The SHO transfers at once; an officer of the station proposes it to the SHO."""
        model = self.get_one(request_id)
        station = request.form.get("station", "", type=str)
        reason = request.form.get("reason", "", type=str)
        try:
            if transfers.may_decide(current_user, model):
                moved = transfers.transfer(model, current_user, station, reason)
                return self._after_transfer(moved)
            if not transfers.may_propose(current_user, model):
                raise workflow.TransitionNotAllowed("transfer")
            transfers.propose(model, current_user, station, reason)
        except workflow.WorkflowError as error:
            self._flash_refusal(error)
        else:
            flash(_("Transfer proposed. The SHO will decide."), "success")
        return redirect(url_for(".details_view", id=request_id))

    @expose("/transfer-decision/<request_id>", methods=["POST"])
    def transfer_decision(self, request_id):
        model = self.get_one(request_id)
        approve = request.form.get("decision") == "approve"
        try:
            decided = transfers.decide(
                model, current_user, approve, request.form.get("remark", "", type=str)
            )
        except workflow.WorkflowError as error:
            self._flash_refusal(error)
        else:
            if approve:
                return self._after_transfer(decided)
            flash(_("Transfer refused. The request stays at this station."), "success")
        return redirect(url_for(".details_view", id=request_id))

    @staticmethod
    def _flash_refusal(error):
        if isinstance(error, transfers.TransferError):
            flash(" ".join(str(m) for m in error.errors.values()), "error")
        elif isinstance(error, workflow.StaleState):
            flash(_("Someone else changed this request first. Reload it."), "error")
        else:
            flash(_("This action is not allowed now."), "error")

    def _after_transfer(self, moved):
        name = moved.station.name_hi if current_language() == "hi" else moved.station.name_en
        flash(_("Transferred to %(station)s.", station=name), "success")
        if access.can_see(current_user, moved):  # a supervisor over both stations
            return redirect(url_for(".details_view", id=str(moved.id)))
        return redirect(url_for(".index_view"))

    @expose("/transition/<request_id>", methods=["POST"])
    def transition(self, request_id):
        model = self.get_one(request_id)
        apply_posted_transition(model, current_user, request.form, request.files)
        return redirect(url_for(".details_view", id=request_id))

    @expose("/fee/<request_id>", methods=["POST"])
    def fee(self, request_id):
        """An officer records the fee paid at the station: receipt number and mode."""
        model = self.get_one(request_id)
        try:
            fees.record(
                model,
                current_user,
                request.form.get("receipt", "", type=str),
                request.form.get("mode", "", type=str),
            )
        except fees.FeeError as error:
            flash(" ".join(str(m) for m in error.errors.values()), "error")
        else:
            flash(_("Payment recorded."), "success")
        return redirect(url_for(".details_view", id=request_id))

    @expose("/note/<request_id>", methods=["POST"])
    def note(self, request_id):
        model = self.get_one(request_id)
        if not workflow.may_note(current_user, model):
            abort(403)
        try:
            workflow.add_note(model, current_user, request.form.get("text", "", type=str))
        except workflow.WorkflowError:
            flash(_("Write the note (up to 2,000 characters)."), "error")
        return redirect(url_for(".details_view", id=request_id))

    @expose("/assign/<request_id>", methods=["POST"])
    def assign(self, request_id):
        model = self.get_one(request_id)
        ids = object_ids([request.form.get("officer", "", type=str)])
        officer = User.objects(id=ids[0]).first() if ids else None
        try:
            if officer is None:
                raise workflow.TransitionNotAllowed("officer")
            workflow.assign(model, officer, current_user)
        except workflow.WorkflowError:
            flash(_("This officer cannot be assigned to this request."), "error")
        else:
            flash(_("Enquiry officer assigned."), "success")
        return redirect(url_for(".details_view", id=request_id))

    @expose("/revoke/<request_id>/<code>", methods=["POST"])
    def revoke(self, request_id, code):
        model = self.get_one(request_id)
        document = IssuedDocument.objects(code=code, request=model.id).first() or abort(404)
        try:
            documents.revoke(document, current_user, request.form.get("reason", "", type=str))
        except documents.DocumentError as error:
            flash(" ".join(str(m) for m in error.errors.values()), "error")
        else:
            flash(_("Document revoked. Its verification page now says so."), "success")
        return redirect(url_for(".details_view", id=request_id))

    @expose("/file/<request_id>/<field>")
    def file(self, request_id, field):
        """An attachment, only for those who may see the request."""
        model = self.get_one(request_id)
        attachment = next((a for a in model.attachments if a.field == field), None)
        if attachment is None:
            abort(404)
        try:
            path = uploads.checked_path(attachment.file_id)
        except uploads.UploadError:
            abort(404)
        audit.record(
            "attachment.viewed",
            actor=current_user,
            target=model,
            state=model.state,
            field=field,
        )
        return send_file(
            path,
            mimetype=attachment.mime,
            as_attachment=True,
            download_name=f"{model.number}-{field}",
        )

    # Bulk actions for the first step of most services, which needs no remark; each goes through
    # the workflow engine row by row, and rows where it is not possible are skipped.
    def _bulk(self, ids, name):
        done = skipped = 0
        for model in self.get_query().filter(id__in=object_ids(ids)):
            try:
                workflow.apply_transition(model, name, current_user)
                done += 1
            except workflow.WorkflowError:
                skipped += 1
        flash(_("%(done)d done, %(skipped)d skipped.", done=done, skipped=skipped), "success")

    @action("accept", _l("Accept"), _l("Accept the selected requests?"))
    def action_accept(self, ids):
        self._bulk(ids, "accept")

    @action("acknowledge", _l("Acknowledge"), _l("Acknowledge the selected requests?"))
    def action_acknowledge(self, ids):
        self._bulk(ids, "acknowledge")

    @action("take_up", _l("Take up"), _l("Take up the selected requests?"))
    def action_take_up(self, ids):
        self._bulk(ids, "take_up")


class QueueView(SecuredView, BaseView):
    """Open requests in the officer's jurisdiction, soonest deadline first."""

    view_permission = "requests.view"

    @expose("/")
    def index(self):
        query = (
            access.scoped(ServiceRequest.objects(is_open=True), current_user)
            .order_by("due_at")
            .limit(QUEUE_SIZE)
        )
        mine = request.args.get("mine") == "1"
        if mine:
            query = query.filter(assigned_to=current_user.id)
        # Rows without the form data; references once per page, not per row.
        query = query.exclude(*ServiceRequest.LIST_EXCLUDES).select_related(max_depth=1)
        rows = []
        now = datetime.now(UTC)
        language = current_language()
        for model in query:
            definition = service_types.definition_of(model)
            info = catalogue.state_info(definition, model.status)
            rows.append(
                {
                    "model": model,
                    "service": definition["name"].get(language) or definition["name"]["en"],
                    "status": info["public"].get(language) or info["public"]["en"],
                    "overdue": bool(model.due_at and model.due_at < now),
                    "days_left": days_left(model.due_at, now),
                    "actionable": bool(workflow.available_actions(model, current_user)),
                }
            )
        return self.render("admin/queue.html", rows=rows, mine=mine)
