"""Cases → FIRs and Sections of law in the admin.

FIRs: the station's register (scoped like every list), Zero FIRs transferred to the officer's
stations, the registration form (from a complaint under enquiry, or from an informant at the
desk), and one FIR's page with its next steps. Every decision is made by services.firs, which
checks the officer's role and posting again.
"""

from datetime import datetime

from bson import ObjectId
from flask import abort, flash, redirect, request, url_for
from flask_admin import BaseView, expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.constants import IST
from app.i18n import current_language
from app.models import Fir, LawSection, PoliceStation, ServiceRequest
from app.models.base import as_utc
from app.services import access, fir_listing, firs
from app.services.firs import FirError

from .base import ScopedModelView, SecuredView, field_errors, has_permission

# A complaint's "what happened" → the FIR category an officer most often starts from.
COMPLAINT_CATEGORIES = {
    "theft": "theft",
    "cheating": "cheating",
    "cyber": "cyber",
    "assault": "hurt",
    "harassment": "intimidation",
    "women_safety": "women",
}


def _local_input(moment):
    """A stored time as a datetime-local input value in Indian time."""
    if not moment:
        return ""
    if isinstance(moment, str):
        try:
            moment = datetime.fromisoformat(moment)
        except ValueError:
            return ""
    if moment.tzinfo is None:
        moment = as_utc(moment)
    return moment.astimezone(IST).strftime("%Y-%m-%dT%H:%M")


class FirsView(SecuredView, BaseView):
    view_permission = "requests.view"

    def _my_stations(self):
        return list(access.scoped(PoliceStation.objects, current_user).order_by("code"))

    def _get(self, fir_id):
        """The FIR if the officer covers its station, or the station it was transferred to."""
        if not ObjectId.is_valid(fir_id):
            abort(404)
        fir = access.get_scoped(Fir, current_user, id=fir_id)
        if fir is None:
            fir = Fir.objects(id=fir_id, zero=True).first()
            covered = {s.id for s in self._my_stations()}
            if fir is None or fir.jurisdiction_station is None:
                abort(404)
            if fir.jurisdiction_station.id not in covered:
                abort(404)
        return fir

    @expose("/")
    def index(self):
        status = request.args.get("status", "", type=str)
        query = access.scoped(Fir.objects, current_user)
        if status in firs.MACHINE.spec["states"]:
            query = query.filter(status=status)
        stations = [s.id for s in self._my_stations()]
        incoming = list(
            Fir.objects(
                zero=True,
                status="transferred",
                transferred_to=None,
                jurisdiction_station__in=stations,
            ).limit(50)
        )
        return self.render(
            "admin/firs.html",
            rows=list(query.order_by("-created_at").limit(200)),
            incoming=incoming,
            status=status,
            statuses=firs.statuses(current_language()),
            categories=firs.CATEGORIES,
            may_register=bool(stations) and has_permission("requests.process"),
        )

    @expose("/new", methods=["GET", "POST"])
    def new(self):
        if not has_permission("requests.process"):
            abort(403)
        stations = self._my_stations()
        complaint = self._complaint(request.values.get("complaint", "", type=str))
        errors, code = {}, 200
        form = request.form if request.method == "POST" else self._prefill(complaint, stations)
        if request.method == "POST":
            station = next((s for s in stations if s.code == form.get("station")), None)
            if station is None:
                errors, code = {"station": _("Choose your police station.")}, 400
            else:
                values = dict(form)
                values["sections"] = form.getlist("sections")
                try:
                    fir = firs.register(current_user, station, values, complaint=complaint)
                except FirError as error:
                    errors, code = field_errors(error), error.http_status
                else:
                    flash(self._registered_message(fir))
                    return redirect(url_for(".details", fir_id=fir.id))
        return self.render(
            "admin/fir_new.html",
            form=form,
            chosen_sections=form.getlist("sections") if hasattr(form, "getlist") else [],
            complaint=complaint,
            stations=stations,
            all_stations=PoliceStation.objects.only("code", "name_en", "name_hi").order_by("code"),
            sections=LawSection.objects(active=True).order_by("act", "section"),
            categories=firs.CATEGORIES,
            errors=errors,
        ), code

    def _complaint(self, number):
        if not number:
            return None
        found = access.get_scoped(ServiceRequest, current_user, number=number.strip().upper())
        return found or abort(404)

    def _prefill(self, complaint, stations):
        from werkzeug.datastructures import MultiDict

        values = MultiDict()
        if stations:
            values["station"] = stations[0].code
        if complaint is not None:
            data = complaint.data
            values["station"] = complaint.station.code
            values["informant_name"] = data.get("complainant_name", "")
            values["category"] = COMPLAINT_CATEGORIES.get(data.get("category"), "other")
            values["occurred_from"] = _local_input(data.get("incident_at"))
            values["place"] = data.get("incident_place", "")
            values["brief"] = data.get("description", "")
            if data.get("accused_details"):
                values["accused_known"] = "y"
                values["accused"] = data["accused_details"]
        return values

    @staticmethod
    def _registered_message(fir):
        if fir.status == "pending_confirmation":
            return _(
                "e-FIR drafted. It goes on record when the informant confirms it, by %(date)s.",
                date=as_utc(fir.confirm_by).astimezone(IST).strftime("%d-%m-%Y %H:%M"),
            )
        if fir.status == "preliminary_enquiry":
            return _("Preliminary enquiry opened; conclude it within 14 days.")
        return _("FIR %(number)s registered.", number=fir.number)

    @expose("/<fir_id>")
    def details(self, fir_id, errors=None, code=200):
        fir = self._get(fir_id)
        return self.render(
            "admin/fir_details.html",
            fir=fir,
            kinds=PROGRESS_KINDS,
            errors=errors or {},
            at_station=fir.station.id in {s.id for s in self._my_stations()},
            # Steps offered only to whom the FIR's workflow gives them (seed/workflows/fir.yaml).
            may=lambda action: firs.MACHINE.may(fir, action, current_user),
            may_withhold="sho" in access.roles_over(current_user, fir.station),
            **firs.page_context(fir, current_language()),
        ), code

    @expose("/<fir_id>/progress", methods=["POST"])
    def progress(self, fir_id):
        fir = self._get(fir_id)
        try:
            firs.record_progress(fir, current_user, request.form.get("kind", ""), request.form)
        except FirError as error:
            return self.details(fir_id, field_errors(error), error.http_status)
        flash(_("Recorded. The complainant has been told."))
        return redirect(url_for(".details", fir_id=fir.id))

    @expose("/<fir_id>/transfer", methods=["POST"])
    def transfer(self, fir_id):
        fir = self._get(fir_id)
        try:
            firs.transfer(fir, current_user)
        except FirError as error:
            return self.details(fir_id, field_errors(error), error.http_status)
        flash(_("Zero FIR transferred. The police station with jurisdiction has been told."))
        return redirect(url_for(".details", fir_id=fir.id))

    @expose("/<fir_id>/withhold", methods=["POST"])
    def withhold(self, fir_id):
        fir = self._get(fir_id)
        try:
            fir_listing.withhold(fir, current_user, request.form.get("withheld_reason", ""))
        except FirError as error:
            return self.details(fir_id, field_errors(error), error.http_status)
        flash(_("The FIR is withheld from the public listing."))
        return redirect(url_for(".details", fir_id=fir.id))

    @expose("/<fir_id>/reregister", methods=["POST"])
    def reregister(self, fir_id):
        fir = self._get(fir_id)
        try:
            local = firs.reregister(fir, current_user)
        except FirError as error:
            return self.details(fir_id, field_errors(error), error.http_status)
        flash(_("FIR %(number)s registered.", number=local.number))
        return redirect(url_for(".details", fir_id=local.id))

    @expose("/<fir_id>/enquiry", methods=["POST"])
    def enquiry(self, fir_id):
        fir = self._get(fir_id)
        register_it = request.form.get("decision") == "register"
        try:
            firs.conclude_enquiry(fir, current_user, register_it, request.form.get("text", ""))
        except FirError as error:
            return self.details(fir_id, field_errors(error), error.http_status)
        flash(_("Enquiry concluded."))
        return redirect(url_for(".details", fir_id=fir.id))


PROGRESS_KINDS = {
    "investigation": _l("Investigation update"),
    "arrest": _l("Arrest"),
    "charge_sheet": _l("Charge-sheet filed"),
    "final_report": _l("Final report filed"),
    "hearing": _l("Court hearing"),
    "outcome": _l("Court's decision"),
}


class LawSectionView(ScopedModelView):
    """The curated list of sections of law; national, so not scoped. Deactivate, never delete:
    FIRs cite them."""

    view_permission = "requests.view"
    edit_permission = "jurisdictions.manage"
    column_list = ("code", "title_en", "title_hi", "max_years", "cognizable", "sensitive", "active")
    column_labels = {
        "code": _l("Section"),
        "act": _l("Act"),
        "section": _l("Section number"),
        "title_en": _l("Title (English)"),
        "title_hi": _l("Title (Hindi)"),
        "max_years": _l("Longest imprisonment (years; 99 for life or death)"),
        "cognizable": _l("Cognizable"),
        "sensitive": _l("Sensitive (never public)"),
        "active": _l("Offered to officers"),
    }
    column_searchable_list = ("code", "title_en", "title_hi")
    form_columns = (
        "code",
        "act",
        "section",
        "title_en",
        "title_hi",
        "max_years",
        "cognizable",
        "sensitive",
        "active",
    )

    def get_query(self):
        return LawSection.objects  # the national list, no personal data

    def get_one(self, id):
        return LawSection.objects(code=id).first() or abort(404)

    def on_model_change(self, form, model, is_created):
        pass  # not scoped to a place; the edit permission is the check

    def _state_of(self, model):
        return None
