"""Admin views for states, districts, police stations and holidays."""

import re

from flask import flash
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField, StringField
from wtforms.validators import ValidationError

from app.models import District, Holiday, PoliceStation, State
from app.models.jurisdictions import PINCODE_RE, WEEKDAYS

from .base import ScopedModelView, in_my_jurisdiction, localized_name

WEEKDAY_LABELS = {
    0: _l("Monday"),
    1: _l("Tuesday"),
    2: _l("Wednesday"),
    3: _l("Thursday"),
    4: _l("Friday"),
    5: _l("Saturday"),
    6: _l("Sunday"),
}
NAME_LABELS = {
    "code": _l("Code"),
    "name_en": _l("Name (English)"),
    "name_hi": _l("Name (Hindi)"),
    "state": _l("State"),
    "district": _l("District"),
    "address": _l("Address"),
    "phone": _l("Phone"),
    "email": _l("Email"),
    "senior_visit_days": _l("Senior citizen visits every (days)"),
    "helpline": _l("Helpline"),
    "date": _l("Date"),
    "pincodes": _l("PIN codes served"),
    "pincodes_text": _l("PIN codes served"),
    "off_days": _l("Weekly off days"),
    "weekly_off_days": _l("Weekly off days"),
}


class StateView(ScopedModelView):
    view_permission = "jurisdictions.view"
    edit_permission = "jurisdictions.manage"
    # New states are added by the seed or by the operator, not by one state's administrator.
    allow_create = False
    column_list = ("code", "name_en", "name_hi", "helpline", "weekly_off_days")
    column_labels = NAME_LABELS
    column_formatters = {
        "weekly_off_days": lambda v, c, m, n: ", ".join(
            str(WEEKDAY_LABELS[d]) for d in m.weekly_off_days
        )
    }
    form_columns = ("name_en", "name_hi", "helpline", "off_days")
    form_extra_fields = {
        "off_days": SelectMultipleField(
            _l("Weekly off days"), coerce=int, choices=[(n, WEEKDAY_LABELS[n]) for n, _ in WEEKDAYS]
        )
    }

    def on_form_prefill(self, form, id):
        form.off_days.data = self.get_one(id).weekly_off_days

    def on_model_change(self, form, model, is_created):
        model.weekly_off_days = sorted(set(form.off_days.data or []))
        super().on_model_change(form, model, is_created)


class DistrictView(ScopedModelView):
    view_permission = "jurisdictions.view"
    edit_permission = "jurisdictions.manage"
    column_list = ("code", "name_en", "name_hi", "state")
    column_labels = NAME_LABELS
    column_formatters = {"state": localized_name("state")}
    column_searchable_list = ("code", "name_en")
    form_columns = ("state", "code", "name_en", "name_hi")
    reference_queries = {"state": in_my_jurisdiction(State)}


def _pincodes(text):
    values = [p.strip() for p in re.split(r"[,\s]+", text or "") if p.strip()]
    bad = [p for p in values if not re.match(PINCODE_RE, p)]
    if bad:
        raise ValidationError(_l("Not a valid PIN code: %(value)s", value=", ".join(bad)))
    return sorted(set(values))


class PoliceStationView(ScopedModelView):
    view_permission = "jurisdictions.view"
    edit_permission = "jurisdictions.manage"
    column_list = ("code", "name_en", "name_hi", "district", "pincodes", "phone")
    column_labels = NAME_LABELS
    column_searchable_list = ("code", "name_en", "name_hi")
    column_formatters = {
        "pincodes": lambda v, c, m, n: ", ".join(m.pincodes),
        "district": localized_name("district"),
    }
    form_columns = (
        "district",
        "code",
        "name_en",
        "name_hi",
        "address",
        "pincodes_text",
        "phone",
        "email",
        "senior_visit_days",
    )
    form_extra_fields = {
        "pincodes_text": StringField(
            _l("PIN codes served"), description=_l("Six-digit PIN codes, separated by commas.")
        )
    }
    reference_queries = {"district": in_my_jurisdiction(District)}

    def on_form_prefill(self, form, id):
        form.pincodes_text.data = ", ".join(self.get_one(id).pincodes)

    def on_model_change(self, form, model, is_created):
        try:
            model.pincodes = _pincodes(form.pincodes_text.data)
        except ValidationError as error:
            form.pincodes_text.errors = [str(error)]
            raise
        if model.district:
            model.state = model.district.state
        super().on_model_change(form, model, is_created)
        _warn_of_shared_pincodes(model)


def _warn_of_shared_pincodes(station):
    """Saved, but said: a PIN code another station serves too makes its citizens choose."""
    others = PoliceStation.objects(pincodes__in=station.pincodes, id__ne=station.id).only(
        "code", "name_en", "pincodes"
    )
    for other in others.limit(20):
        shared = sorted(set(other.pincodes) & set(station.pincodes))
        flash(
            _(
                "PIN codes %(pins)s are also served by %(station)s (%(code)s): citizens there "
                "will be asked to choose between the two stations.",
                pins=", ".join(shared),
                station=other.name_en,
                code=other.code,
            ),
            "warning",
        )


class HolidayView(ScopedModelView):
    view_permission = "jurisdictions.view"
    edit_permission = "jurisdictions.manage"
    allow_delete = True
    column_list = ("date", "name_en", "name_hi", "state")
    column_labels = NAME_LABELS
    column_formatters = {"state": localized_name("state")}
    column_default_sort = ("date", False)
    form_columns = ("state", "date", "name_en", "name_hi")
    reference_queries = {"state": in_my_jurisdiction(State)}


VIEWS = (
    (StateView, State, _l("States"), "states"),
    (DistrictView, District, _l("Districts"), "districts"),
    (PoliceStationView, PoliceStation, _l("Police stations"), "stations"),
    (HolidayView, Holiday, _l("Holidays"), "holidays"),
)
