"""A new service started from a copy of an existing one (the admin's "New service from a copy").

Most new services resemble one the state already offers (another verification, another
permission), so the administrator names the service to copy, the new code, names and request
number prefix; start_from() checks each against the state's services, naming the field at fault,
and create() publishes the copy as version 1, not yet offered to the public, so that its fields,
workflow and time limits can be changed in the builder before citizens see it.
"""

import copy

from flask_babel import gettext as _

from app.models import ServiceType

from . import catalogue, service_types


def start_from(state, form):
    """(definition, {form field: message}) for a copy described by `form`: source, code,
    name_en, name_hi, number_prefix."""
    errors = {}
    services = {
        s.code: s for s in ServiceType.objects(state=state).only("code", "name_en", "definition")
    }
    source = services.get(str(form.get("source", "")))
    if source is None:
        errors["source"] = _("Copy of: choose one of your state’s services.")
    code = str(form.get("code", "")).strip()
    if not catalogue.CODE.match(code):
        errors["code"] = _(
            "Code: lower-case letters, digits and _, 3 to 40 of them (as noise_permission)."
        )
    elif code in services:
        errors["code"] = _(
            "Code: “%(code)s” is the code of “%(name)s” already.", code=code,
            name=services[code].name_en,
        )  # fmt: skip
    name = {lang: str(form.get(f"name_{lang}", "")).strip()[:200] for lang in ("en", "hi")}
    if not name["en"]:
        errors["name_en"] = _("Name (English): enter it.")
    if not name["hi"]:
        errors["name_hi"] = _("Name (Hindi): enter it.")
    prefix = str(form.get("number_prefix", "")).strip().upper()
    if not catalogue.PREFIX.match(prefix):
        errors["number_prefix"] = _("Prefix of request numbers: three capital letters (as NOP).")
    else:
        taken = [s for s in services.values() if s.definition.get("number_prefix") == prefix]
        if taken:
            errors["number_prefix"] = _(
                "Prefix of request numbers: “%(prefix)s” is used by “%(name)s” already.",
                prefix=prefix,
                name=taken[0].name_en,
            )
    if errors or source is None:
        return None, errors
    definition = copy.deepcopy(source.definition)
    definition.update(code=code, number_prefix=prefix, name=name)
    problems = catalogue.validate(definition)
    if problems:
        return None, {"form": "; ".join(problems)}
    return definition, {}


def create(state, definition, actor, copied_from):
    """Publish the copy as version 1, withdrawn from the public until the administrator offers
    it; returns the new ServiceType."""
    return service_types.publish(
        state,
        definition,
        actor=actor,
        source="admin",
        reason=_("Copied from “%(code)s”", code=copied_from),
        active=False,
    )
