"""A service's time limit, warning and escalation tiers edited as a form (the admin's
"Time limits" page) rather than as YAML.

form_values(definition) gives the form's fields; apply(definition, form) returns the definition
with its `sla` rebuilt from them, and the errors, each under the name of the field at fault and
worded for the administrator (services.catalogue then checks the whole definition as it checks
any other, so nothing this page writes could not have been written as YAML).
"""

import copy

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from . import authorities, catalogue

UNITS = {
    "working_days": _l("working days"),
    "days": _l("calendar days"),
    "hours": _l("hours"),
    "minutes": _l("minutes"),
}
ROLES = authorities.ROLE_TITLES
# The three tiers of the Right to Services acts, in the order a request climbs them.
TIERS = {
    "designated": _l("designated officer"),
    "competent": _l("competent authority"),
    "appellate": _l("appellate authority"),
}
MAX_VALUE = 1000


def units_for(definition):
    """The units offered: minutes only where the service already counts in them (test
    services); a charter counts days or hours."""
    units = dict(UNITS)
    limit = (definition.get("sla") or {}).get("limit") or {}
    if limit.get("unit") != "minutes":
        units.pop("minutes")
    return units


def form_values(definition):
    sla = definition.get("sla") or {}
    limit = sla.get("limit") or {}
    values = {
        "limit_value": limit.get("value", ""),
        "limit_unit": limit.get("unit", "working_days"),
        "warn_at": round(sla.get("warn_at", 0.8) * 100),
    }
    for index, tier in enumerate(sla.get("escalation") or []):
        values[f"tier{index}_role"] = tier.get("role", "")
        tier_limit = tier.get("limit") or {}
        values[f"tier{index}_value"] = tier_limit.get("value", "")
        values[f"tier{index}_unit"] = tier_limit.get("unit", limit.get("unit", "working_days"))
    return values


def _number(form, name, low, high):
    raw = str(form.get(name, "")).strip()
    if not raw.isdigit() or not low <= int(raw) <= high:
        return None
    return int(raw)


def apply(definition, form):
    """(new definition, {field: message}); the definition is a copy, the old one untouched."""
    new = copy.deepcopy(definition)
    sla = new.setdefault("sla", {})
    units = units_for(definition)
    errors = {}
    value = _number(form, "limit_value", 1, MAX_VALUE)
    if value is None:
        errors["limit_value"] = _(
            "Time limit: enter a whole number from 1 to %(max)d.", max=MAX_VALUE
        )
    unit = form.get("limit_unit")
    if unit not in units:
        errors["limit_unit"] = _("Time limit: choose a unit.")
    warn = _number(form, "warn_at", 1, 99)
    if warn is None:
        errors["warn_at"] = _("Warning: enter a share from 1 to 99 per cent.")
    tiers = copy.deepcopy(sla.get("escalation") or [])
    for index, tier in enumerate(tiers):
        number = index + 1
        role = form.get(f"tier{index}_role")
        if role not in ROLES:
            errors[f"tier{index}_role"] = _("Tier %(number)d: choose who decides.", number=number)
        else:
            tier["role"] = role
        if index == 0:
            continue  # the designated officer works within the service's own limit
        tier_value = _number(form, f"tier{index}_value", 1, MAX_VALUE)
        tier_unit = form.get(f"tier{index}_unit")
        if tier_value is None:
            errors[f"tier{index}_value"] = _(
                "Tier %(number)d: enter a whole number from 1 to %(max)d.", number=number,
                max=MAX_VALUE,
            )  # fmt: skip
        if tier_unit not in units:
            errors[f"tier{index}_unit"] = _("Tier %(number)d: choose a unit.", number=number)
        if tier_value is not None and tier_unit in units:
            tier["limit"] = {"value": tier_value, "unit": tier_unit}
    if errors:
        return definition, errors
    sla["limit"] = {"value": value, "unit": unit}
    sla["warn_at"] = round(warn / 100, 2)
    sla["escalation"] = tiers
    problems = catalogue.validate(new)
    if problems:  # a rule of the catalogue this form does not know: say it as it says it
        return definition, {"form": "; ".join(problems)}
    return new, {}
