"""Account forms: registration for citizens and organisations.

Only `full_name` and `mobile` map onto the user document; the account type, state and organisation
details are applied by services.accounts.complete_registration, so no form can set a role.
"""

from flask_babel import lazy_gettext as _l
from flask_security import RegisterFormV2
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length, Regexp, ValidationError

from app.i18n import current_language
from app.models import State
from app.models.accounts import MOBILE_RE, ORGANISATION_KINDS
from app.models.jurisdictions import localized

ORGANISATION_KIND_LABELS = {
    "hotel": _l("Hotel, guest house or host of foreign guests"),
    "employer": _l("Employer"),
    "security_agency": _l("Private security agency"),
}


class PortalRegisterForm(RegisterFormV2):
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=120)])
    mobile = StringField(
        _l("Mobile number"),
        validators=[
            DataRequired(),
            Regexp(MOBILE_RE, message=_l("Enter a 10-digit Indian mobile number.")),
        ],
        description=_l("10 digits, without +91 or a leading 0."),
    )
    home_state = SelectField(_l("State"), validators=[DataRequired()], choices=[])
    applicant_type = SelectField(
        _l("I am registering as"),
        choices=[("citizen", _l("A citizen")), ("organisation", _l("An organisation"))],
        default="citizen",
    )
    organisation_kind = SelectField(
        _l("Kind of organisation"),
        choices=[("", _l("— not an organisation —"))]
        + [(kind, ORGANISATION_KIND_LABELS[kind]) for kind in ORGANISATION_KINDS],
        default="",
    )
    organisation_name = StringField(_l("Organisation name"), validators=[Length(max=200)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        language = current_language()
        self.home_state.choices = [
            (s.code, localized(s, "name", language))
            for s in State.objects.only("code", "name_en", "name_hi")
        ]

    def validate_organisation_name(self, field):
        if self.applicant_type.data == "organisation" and not (field.data or "").strip():
            raise ValidationError(_l("An organisation needs its registered name."))

    def validate_organisation_kind(self, field):
        if self.applicant_type.data == "organisation" and not field.data:
            raise ValidationError(_l("Choose the kind of organisation."))
