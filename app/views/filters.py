"""Template filters shared by the portal and the admin: Indian dates and Citizens Charter limits."""

from flask_babel import gettext as _
from flask_babel import ngettext

from app.constants import IST


def limit_text(limit):
    """{value: 7, unit: working_days} → "7 working days" in the page's language."""
    if not limit:
        return ""
    value, unit = limit["value"], limit["unit"]
    count = int(value) if float(value).is_integer() else value
    if unit == "working_days":
        return ngettext("%(num)s working day", "%(num)s working days", count)
    if unit == "days":
        return ngettext("%(num)s day", "%(num)s days", count)
    if unit == "hours":
        return ngettext("%(num)s hour", "%(num)s hours", count)
    return ngettext("%(num)s minute", "%(num)s minutes", count)


def _ist(value):
    if value.tzinfo is None:
        from datetime import UTC

        value = value.replace(tzinfo=UTC)
    return value.astimezone(IST)


def local_date(value):
    return _ist(value).strftime("%d-%m-%Y") if value else ""


def people_date(value):
    """An ISO date as the JSON API gives it ("2026-12-17") the way people read it: 17-12-2026."""
    from datetime import date

    try:
        return date.fromisoformat(str(value)).strftime("%d-%m-%Y") if value else ""
    except ValueError:
        return str(value)


def local_datetime(value):
    return _ist(value).strftime("%d-%m-%Y %H:%M") + " " + _("IST") if value else ""


def rating_label(score):
    return {"good": _("Good"), "average": _("Average"), "poor": _("Poor")}.get(score, score)


def appeal_grounds(grounds):
    return {
        "rejected": _("Request refused"),
        "deadline_missed": _("Time limit missed"),
        "poor_rating": _("Rated poor"),
    }.get(grounds, grounds)


def appeal_status(status):
    return {"pending": _("Pending"), "allowed": _("Allowed"), "dismissed": _("Dismissed")}.get(
        status, status
    )


def appeal_role(request, level):
    """The role that hears an appeal of `level` on `request`."""
    from app.services import appeals, service_types

    return appeals.authority_role(service_types.definition_of(request), level)


def mask_mobile(value):
    """Only the last four digits of a phone number, where the whole need not be shown."""
    value = value or ""
    return "XXXXXX" + value[-4:] if len(value) >= 4 else ""


def fee_text(definition):
    """A service's fee as the charter and the form state it: "₹50 (exempt: senior citizens)"."""
    from app.i18n import current_language
    from app.services import fees

    fee = fees.describe(definition, current_language())
    if fee is None:
        return _("No fee")
    text = _("₹%(amount)d", amount=fee["amount"])
    if fee["exempt"]:
        text += " " + _("(exempt: %(who)s)", who="; ".join(fee["exempt"]))
    return text


def step_label(definition, action):
    """A workflow action's label in the page's language (catalogue.action_label)."""
    from app.i18n import current_language
    from app.services import catalogue

    return catalogue.action_label(definition, action, current_language())


def init_filters(app):
    from app.services.authorities import title_of

    app.add_template_filter(limit_text)
    app.add_template_filter(fee_text)
    app.add_template_global(step_label)
    app.add_template_filter(mask_mobile)
    app.add_template_filter(local_date)
    app.add_template_filter(people_date)
    app.add_template_filter(local_datetime)
    app.add_template_global(title_of, "authority_title")
    app.add_template_global(rating_label)
    app.add_template_global(appeal_role)
    app.add_template_global(appeal_grounds)
    app.add_template_global(appeal_status)
    from app.services.documents import display_code

    app.add_template_global(display_code)
    from app.services.field_types import TYPES

    # The form templates draw a field by what its type says (widget, attributes, review).
    app.add_template_global(TYPES.__getitem__, "field_type")
