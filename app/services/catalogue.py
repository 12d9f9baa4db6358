"""The service catalogue: validating service definitions and reading the live ones.

A definition is plain data (seed/service_types/<code>.yaml, the admin, or PUT /api/v1/services).
validate() checks its whole shape and returns a list of errors, each naming the field path, e.g.
"fields[3].type: unknown type 'money'". Nothing about a particular service is written in Python.
"""

import re

from . import document_kinds, field_types

__all__ = [
    "FIELD_TYPES",
    "DefinitionError",
    "validate",
    "check",
    "field_map",
    "transitions_from",
    "state_info",
]

FIELD_TYPES = frozenset(field_types.TYPES)
APPLICANT_ROLES = frozenset({"citizen", "organisation"})
STAFF_ROLES = frozenset({"station_officer", "sho", "district_supervisor", "state_admin"})
TRANSITION_ROLES = APPLICANT_ROLES | STAFF_ROLES
# Modules that take a transition themselves (`via:` in a definition): the FIR register marks
# a complaint "FIR registered" when it puts the FIR on record; no officer clicks it.
TRANSITION_MODULES = ("fir",)
SLA_UNITS = frozenset({"minutes", "hours", "days", "working_days"})
ESCALATION_TIERS = ("designated", "competent", "appellate")
ELIGIBILITY_OPS = frozenset(
    {"==", "!=", ">=", "<=", ">", "<", "in", "not_in", "age_at_least", "days_ahead_at_least"}
)
NOTIFY_EVENTS = frozenset(
    {"submitted", "transition", "escalated", "warning", "appeal_filed", "appeal_decided"}
)
# Who a notification rule may address (resolved by services.notify).
RECIPIENTS = frozenset({"applicant", "escalation_target", "assignee", "appeal_authority", "sho"})
# What reaching a final state may enrol the applicant in.
ENROLMENTS = frozenset({"senior_citizen"})
CHANNELS = frozenset({"in_app", "email", "sms"})
ROUTING = frozenset({"pincode", "applicant_choice"})
ACCEPTED_MIME = frozenset({"application/pdf", "image/jpeg", "image/png"})

IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
CODE = re.compile(r"^[a-z][a-z0-9_]{2,39}$")
PREFIX = re.compile(r"^[A-Z]{3}$")
MAX_FIELDS = 60


class DefinitionError(ValueError):
    """A service definition is invalid; `errors` lists "path: message" strings."""

    def __init__(self, source, errors):
        self.source = source
        self.errors = errors
        super().__init__(f"{source}: " + "; ".join(errors))


def check(definition, source):
    """Raise DefinitionError naming `source` (a file or service) when `definition` is invalid."""
    errors = validate(definition)
    if errors:
        raise DefinitionError(source, errors)
    return definition


def check_fields(fields, source, extra_keys=()):
    """The checks a service's form fields get, for other data-defined forms (the registers,
    whose fields may also say `public`): returns {name: spec} or raises DefinitionError naming
    `source`."""
    c = _Checker()
    found = _check_fields(c, fields, FIELD_KEYS | frozenset(extra_keys))
    if c.errors:
        raise DefinitionError(source, c.errors)
    return found


class _Checker:
    def __init__(self):
        self.errors = []

    def error(self, path, message):
        self.errors.append(f"{path}: {message}")

    def mapping(self, value, path):
        if not isinstance(value, dict):
            self.error(path, "must be a mapping")
            return False
        return True

    def listing(self, value, path):
        if not isinstance(value, list):
            self.error(path, "must be a list")
            return False
        return True

    def bilingual(self, value, path, required=True):
        if value is None and not required:
            return
        if not isinstance(value, dict):
            self.error(path, "must have 'en' and 'hi' texts")
            return
        for language in ("en", "hi"):
            text = value.get(language)
            if not isinstance(text, str) or not text.strip():
                self.error(f"{path}.{language}", "is missing")

    def positive_number(self, value, path):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            self.error(path, "must be a positive number")
            return False
        return True

    def limit(self, value, path):
        if not self.mapping(value, path):
            return
        self.positive_number(value.get("value"), f"{path}.value")
        if value.get("unit") not in SLA_UNITS:
            self.error(f"{path}.unit", f"must be one of {', '.join(sorted(SLA_UNITS))}")


# How much the public status search says of a request: "full" (service, station, dates) or
# "minimal" (that the number exists, and its stage), for complaints and grievances, whose
# numbers are sequential and whose very existence at a station can be sensitive.
PUBLIC_STATUS_LEVELS = ("full", "minimal")


def validate(definition):
    """All the problems with a definition, as "path: message" strings (empty when valid)."""
    c = _Checker()
    if not c.mapping(definition, "definition"):
        return c.errors
    code = definition.get("code")
    if not isinstance(code, str) or not CODE.match(code):
        c.error("code", "must be lower-case letters, digits and _ (3 to 40)")
    prefix = definition.get("number_prefix")
    if not isinstance(prefix, str) or not PREFIX.match(prefix):
        c.error("number_prefix", "must be three capital letters")
    c.bilingual(definition.get("name"), "name")
    c.bilingual(definition.get("description"), "description")
    applicants = definition.get("applicants")
    if not isinstance(applicants, list) or not applicants:
        c.error("applicants", "must list who may apply")
    else:
        for role in applicants:
            if role not in APPLICANT_ROLES:
                c.error("applicants", f"unknown applicant role '{role}'")
    fields = _check_fields(c, definition.get("fields"))
    _check_documents(c, definition.get("documents", []))
    _check_routing(c, definition.get("routing"), fields)
    _check_eligibility(c, definition.get("eligibility", []), fields)
    states = _check_workflow(c, definition.get("workflow"))
    _check_sla(c, definition.get("sla"), definition.get("instant", False), fields)
    _check_notifications(c, definition.get("notifications", []))
    if definition.get("instant") and states:
        initial = definition["workflow"].get("initial")
        if not states.get(initial, {}).get("final"):
            c.error("workflow.initial", "an instant service starts in a final state")
    known = {
        "code",
        "number_prefix",
        "name",
        "description",
        "applicants",
        "routing",
        "eligibility",
        "documents",
        "fields",
        "workflow",
        "sla",
        "notifications",
        "instant",
        "filer_deadline",
        "document_subject",
        "document_facts",
        "document_conditions",
        "document_photo",
        "document_address",
        "document_validity_days",
        "public_status",
        "transfer",
        "fee",
        "open311",
    }
    _check_transfer(c, definition.get("transfer"))
    _check_fee(c, definition.get("fee"), fields, definition.get("workflow"))
    _check_open311(c, definition.get("open311"), fields)
    if definition.get("public_status", "full") not in PUBLIC_STATUS_LEVELS:
        c.error("public_status", f"must be one of {', '.join(PUBLIC_STATUS_LEVELS)}")
    for key in definition:
        if key not in known:
            c.error(str(key), "is not a known part of a service definition")
    _check_filer_deadline(c, definition.get("filer_deadline"), fields)
    subject = definition.get("document_subject")
    if subject is not None and (subject not in fields or fields[subject].get("type") != "text"):
        c.error("document_subject", "must name a text field (the person a document is about)")
    _check_document_extras(c, definition, fields)
    return c.errors


def _check_open311(c, flag, fields):
    """`open311: true` offers the service through Open311 (services.open311): every field it
    requires must be one Open311 can carry."""
    if flag is None:
        return
    if not isinstance(flag, bool):
        c.error("open311", "must be true or false")
        return
    for name, spec in fields.items():
        kind = field_types.TYPES.get(spec.get("type"))
        if flag and spec.get("required") and kind is not None and kind.open311 is None:
            c.error("open311", f"the required field '{name}' cannot be given through Open311")


FEE_KEYS = frozenset({"amount", "pay_before", "exempt", "note"})
MAX_FEE = 100_000


def _check_fee(c, fee, fields, workflow):
    """`fee: {amount, pay_before, exempt, note}` (services.fees): whole rupees, the action that
    waits for payment, exemptions as rules over the form's fields, how to pay."""
    if fee is None:
        return
    if not isinstance(fee, dict):
        c.error("fee", "must be a mapping such as {amount: 50, pay_before: approve}")
        return
    _unknown_keys(c, fee, FEE_KEYS, "fee", "fee")
    amount = fee.get("amount")
    if isinstance(amount, bool) or not isinstance(amount, int) or not 1 <= amount <= MAX_FEE:
        c.error("fee.amount", f"must be whole rupees from 1 to {MAX_FEE:,}")
    actions = {
        t.get("action") for t in ((workflow or {}).get("transitions") or []) if isinstance(t, dict)
    }
    if fee.get("pay_before") not in actions:
        c.error(
            "fee.pay_before", f"must name an action of the workflow, not {fee.get('pay_before')!r}"
        )
    if "note" in fee:
        c.bilingual(fee["note"], "fee.note")
    exempt = fee.get("exempt", [])
    if not c.listing(exempt, "fee.exempt"):
        return
    for index, rule in enumerate(exempt):
        path = f"fee.exempt[{index}]"
        if _check_rule(c, rule, path, fields):
            c.bilingual(rule.get("who"), f"{path}.who")


def _check_transfer(c, transfer):
    """`transfer: {clock: continue | restart}`: what moving to another station does to the
    clock (services.transfers; continue when absent)."""
    if transfer is None:
        return
    if not isinstance(transfer, dict):
        c.error("transfer", "must be a mapping such as {clock: continue}")
        return
    for key in transfer:
        if key != "clock":
            c.error(f"transfer.{key}", "is not a known part of a transfer rule")
    if transfer.get("clock", "continue") not in ("continue", "restart"):
        c.error("transfer.clock", "must be 'continue' or 'restart'")


def _check_document_extras(c, definition, fields):
    """`document_facts` names the answers a letter restates (venue, dates, route); never a file
    or an Aadhaar number. `document_conditions` are the standing conditions it carries.
    `document_photo` is the photograph printed on it, `document_address` the address it states
    as verified, `document_validity_days` how long it is valid from its issue."""
    facts = definition.get("document_facts")
    if facts is not None:
        if not isinstance(facts, list):
            c.error("document_facts", "must be a list of field names")
        else:
            for name in facts:
                spec = fields.get(name) if isinstance(name, str) else None
                if spec is None or spec.get("type") in ("file", "aadhaar"):
                    c.error("document_facts", f"{name!r} is not a field a document may restate")
    photo = definition.get("document_photo")
    if photo is not None:
        spec = fields.get(photo) if isinstance(photo, str) else None
        images = {"image/jpeg", "image/png"}
        if spec is None or spec.get("type") != "file" or not set(spec.get("accept", [])) <= images:
            c.error("document_photo", "must name a file field that accepts only JPEG or PNG")
    address = definition.get("document_address")
    if address is not None:
        spec = fields.get(address) if isinstance(address, str) else None
        if spec is None or spec.get("type") not in ("text", "long_text"):
            c.error("document_address", "must name a text field (the address verified)")
    validity = definition.get("document_validity_days")
    if validity is not None and (
        isinstance(validity, bool) or not isinstance(validity, int) or not 1 <= validity <= 3650
    ):
        c.error("document_validity_days", "must be a whole number of days from 1 to 3650")
    conditions = definition.get("document_conditions")
    if conditions is not None:
        if not isinstance(conditions, list):
            c.error("document_conditions", "must be a list of texts in English and Hindi")
        else:
            for index, text in enumerate(conditions):
                c.bilingual(text, f"document_conditions[{index}]")


FIELD_KEYS = frozenset(
    {
        "name",
        "type",
        "label",
        "help",
        "required",
        "max_length",
        "min",
        "max",
        "pattern",
        "not_future",
        "choices",
        "accept",
        "max_kb",
        "show_when",
    }
)
STATE_KEYS = frozenset(
    {"public", "final", "editable_by_applicant", "pauses_clock", "rejection", "enrols", "issues"}
)
TRANSITION_KEYS = frozenset(
    {"action", "from", "to", "roles", "label", "remark", "self_approval", "via", "report"}
)
MAX_REPORT_FIELDS = 12


def _unknown_keys(c, mapping, known, path, what):
    for key in mapping:
        if key not in known:
            c.error(f"{path}.{key}", f"is not a known part of a {what}")


def _check_fields(c, fields, known=FIELD_KEYS):
    found: dict = {}
    if not c.listing(fields, "fields"):
        return found
    if not fields:
        c.error("fields", "must not be empty")
    if len(fields) > MAX_FIELDS:
        c.error("fields", f"at most {MAX_FIELDS}")
    for index, spec in enumerate(fields):
        path = f"fields[{index}]"
        if not c.mapping(spec, path):
            continue
        name = spec.get("name")
        if not isinstance(name, str) or not IDENTIFIER.match(name):
            c.error(f"{path}.name", "must be a lower-case identifier")
            continue
        path = f"fields[{index}] ({name})"
        if name in found:
            c.error(f"{path}.name", "is used twice")
        found[name] = spec
        _unknown_keys(c, spec, known, path, "field")
        kind = spec.get("type")
        if kind not in FIELD_TYPES:
            c.error(f"{path}.type", f"unknown type '{kind}'")
            continue
        c.bilingual(spec.get("label"), f"{path}.label")
        c.bilingual(spec.get("help"), f"{path}.help", required=False)
        if not isinstance(spec.get("required", False), bool):
            c.error(f"{path}.required", "must be true or false")
        if kind in ("text", "long_text") and "max_length" in spec:
            c.positive_number(spec["max_length"], f"{path}.max_length")
        if kind == "number":
            for bound in ("min", "max"):
                if bound in spec and not isinstance(spec[bound], (int, float)):
                    c.error(f"{path}.{bound}", "must be a number")
        if kind in ("select", "multi_select"):
            _check_choices(c, spec.get("choices"), f"{path}.choices")
        if kind == "file":
            accept = spec.get("accept")
            if not isinstance(accept, list) or not accept:
                c.error(f"{path}.accept", "must list the accepted types")
            else:
                for mime in accept:
                    if mime not in ACCEPTED_MIME:
                        c.error(f"{path}.accept", f"'{mime}' is not an accepted type")
            c.positive_number(spec.get("max_kb"), f"{path}.max_kb")
        if "show_when" in spec:
            _check_show_when(c, spec["show_when"], f"{path}.show_when", found, name)
    return found


def _check_show_when(c, condition, path, earlier, name):
    """A field asked only when an earlier select or yes/no field has one answer:
    {field: <name>, equals: <a choice's value, or true/false>}."""
    if not c.mapping(condition, path):
        return
    _unknown_keys(c, condition, {"field", "equals"}, path, "condition")
    other = earlier.get(condition.get("field")) if condition.get("field") != name else None
    if other is None:
        c.error(f"{path}.field", "must name a field earlier in the form")
        return
    equals = condition.get("equals")
    if other.get("type") == "boolean":
        if not isinstance(equals, bool):
            c.error(f"{path}.equals", "must be true or false for a yes/no field")
    elif other.get("type") == "select":
        values = [choice.get("value") for choice in other.get("choices") or []]
        if equals not in values:
            c.error(f"{path}.equals", f"must be one of the choices of '{condition['field']}'")
    else:
        c.error(f"{path}.field", "must name a select or yes/no field")


def _check_report(c, report, path):
    """A step's structured report (a verification's findings, visit date, photos): fields like
    the form's, checked the same way, their paths under the transition."""
    inner = _Checker()
    _check_fields(inner, report)
    if isinstance(report, list) and len(report) > MAX_REPORT_FIELDS:
        inner.error("fields", f"at most {MAX_REPORT_FIELDS}")
    for error in inner.errors:
        c.errors.append(
            f"{path}.{error.removeprefix('fields')}".replace("..", ".").replace(".[", "[")
        )


def report_of(transition):
    """The report `transition` asks for, as a definition-like mapping forms.clean reads."""
    return {"fields": transition.get("report") or []}


def _check_choices(c, choices, path):
    if not isinstance(choices, list) or not choices:
        c.error(path, "must list the choices")
        return
    values = set()
    for index, choice in enumerate(choices):
        if not isinstance(choice, dict) or not isinstance(choice.get("value"), str):
            c.error(f"{path}[{index}]", "needs a value")
            continue
        if choice["value"] in values:
            c.error(f"{path}[{index}]", f"value '{choice['value']}' is used twice")
        values.add(choice["value"])
        c.bilingual({"en": choice.get("en"), "hi": choice.get("hi")}, f"{path}[{index}]")


def _check_documents(c, documents):
    if not c.listing(documents, "documents"):
        return
    for index, document in enumerate(documents):
        c.bilingual(document, f"documents[{index}]")


def _check_routing(c, routing, fields):
    if not c.mapping(routing, "routing"):
        return
    if routing.get("by") not in ROUTING:
        c.error("routing.by", "must be 'pincode' or 'applicant_choice'")
    elif routing["by"] == "pincode":
        field = routing.get("field")
        if field not in fields or fields[field].get("type") != "pincode":
            c.error("routing.field", "must name a pincode field of the form")
        elif not fields[field].get("required") or "show_when" in fields[field]:
            c.error("routing.field", "the routing pincode field must be required, always")


def _check_eligibility(c, rules, fields):
    if not c.listing(rules, "eligibility"):
        return
    for index, rule in enumerate(rules):
        path = f"eligibility[{index}]"
        if _check_rule(c, rule, path, fields):
            c.bilingual(rule.get("message"), f"{path}.message")


def _check_rule(c, rule, path, fields):
    """A rule over one answer ({field, op, value}, forms.rule_holds); False if not a mapping."""
    if not c.mapping(rule, path):
        return False
    if rule.get("field") not in fields:
        c.error(f"{path}.field", f"unknown field '{rule.get('field')}'")
    if rule.get("op") not in ELIGIBILITY_OPS:
        c.error(f"{path}.op", f"unknown operator '{rule.get('op')}'")
    if "value" not in rule:
        c.error(f"{path}.value", "is missing")
    return True


def _check_workflow(c, workflow):
    if not c.mapping(workflow, "workflow"):
        return {}
    states = workflow.get("states")
    if not c.mapping(states, "workflow.states") or not states:
        return {}
    for name, info in states.items():
        path = f"workflow.states.{name}"
        if not IDENTIFIER.match(str(name)):
            c.error(path, "state names are lower-case identifiers")
        if not c.mapping(info, path):
            continue
        _unknown_keys(c, info, STATE_KEYS, path, "state")
        c.bilingual(info.get("public"), f"{path}.public")
        if "issues" in info:
            if info["issues"] not in document_kinds.SERVICE_KINDS:
                allowed = ", ".join(sorted(document_kinds.SERVICE_KINDS))
                c.error(f"{path}.issues", f"unknown document '{info['issues']}' (one of {allowed})")
            elif not info.get("final"):
                c.error(f"{path}.issues", "only a final state issues a document")
        for flag in ("final", "editable_by_applicant", "pauses_clock", "rejection"):
            if not isinstance(info.get(flag, False), bool):
                c.error(f"{path}.{flag}", "must be true or false")
        if info.get("rejection") and not info.get("final"):
            c.error(f"{path}.rejection", "only a final state can be a rejection")
        if info.get("pauses_clock") and info.get("final"):
            c.error(f"{path}.pauses_clock", "a final state has no clock to pause")
        if "enrols" in info and (info["enrols"] not in ENROLMENTS or not info.get("final")):
            allowed = ", ".join(sorted(ENROLMENTS))
            c.error(f"{path}.enrols", f"must be one of {allowed}, on a final state")
    if workflow.get("initial") not in states:
        c.error("workflow.initial", f"unknown state '{workflow.get('initial')}'")
    transitions = workflow.get("transitions", [])
    if not c.listing(transitions, "workflow.transitions"):
        return states
    seen = set()
    for index, transition in enumerate(transitions):
        path = f"workflow.transitions[{index}]"
        if not c.mapping(transition, path):
            continue
        _unknown_keys(c, transition, TRANSITION_KEYS, path, "transition")
        action = transition.get("action")
        if not isinstance(action, str) or not IDENTIFIER.match(action):
            c.error(f"{path}.action", "must be a lower-case identifier")
        for source in sources_of(transition):
            if source not in states:
                c.error(f"{path}.from", f"unknown state '{source}'")
            elif states[source].get("final"):
                c.error(f"{path}.from", f"'{source}' is final")
            if (action, source) in seen:
                c.error(f"{path}.action", f"'{action}' from '{source}' is defined twice")
            seen.add((action, source))
        if transition.get("to") not in states:
            c.error(f"{path}.to", f"unknown state '{transition.get('to')}'")
        roles = transition.get("roles")
        if not isinstance(roles, list) or not roles:
            c.error(f"{path}.roles", "must list who may act")
        else:
            for role in roles:
                if role not in TRANSITION_ROLES:
                    c.error(f"{path}.roles", f"unknown role '{role}'")
        if transition.get("remark", "optional") not in ("required", "optional"):
            c.error(f"{path}.remark", "must be 'required' or 'optional'")
        if not isinstance(transition.get("self_approval", True), bool):
            c.error(f"{path}.self_approval", "must be true or false")
        if transition.get("via") not in (None, *TRANSITION_MODULES):
            c.error(f"{path}.via", f"must be one of {', '.join(TRANSITION_MODULES)}")
        c.bilingual(transition.get("label"), f"{path}.label")
        if "report" in transition:
            _check_report(c, transition["report"], f"{path}.report")
    reachable = reachable_states(workflow)
    stuck = dead_ends(workflow)
    for name in states:
        if name not in reachable:
            c.error(f"workflow.states.{name}", "cannot be reached from the initial state")
        if name in stuck:
            c.error(f"workflow.states.{name}", "is not final and no transition leaves it")
    if not any(info.get("final") for info in states.values() if isinstance(info, dict)):
        c.error("workflow.states", "needs at least one final state")
    return states


def _steps(workflow):
    transitions = workflow.get("transitions") or []
    return [t for t in transitions if isinstance(t, dict)] if isinstance(transitions, list) else []


def reachable_states(workflow):
    """The states a request can reach from the workflow's initial state."""
    reachable = {workflow.get("initial")}
    changed = True
    while changed:
        changed = False
        for transition in _steps(workflow):
            target = transition.get("to")
            if target not in reachable and any(s in reachable for s in sources_of(transition)):
                reachable.add(target)
                changed = True
    return reachable


def dead_ends(workflow):
    """States that are not final and that no transition leaves: a request there is stuck."""
    leaving = {s for t in _steps(workflow) for s in sources_of(t)}
    states = workflow.get("states") or {}
    return {
        name
        for name, info in states.items()
        if isinstance(info, dict) and not info.get("final") and name not in leaving
    }


def _check_sla(c, sla, instant, fields):
    if instant and sla is None:
        return
    if not c.mapping(sla, "sla"):
        return
    c.limit(sla.get("limit"), "sla.limit")
    warn = sla.get("warn_at", 0.8)
    if isinstance(warn, bool) or not isinstance(warn, (int, float)) or not 0 < warn < 1:
        c.error("sla.warn_at", "must be a share between 0 and 1")
    chain = sla.get("escalation", [])
    if not c.listing(chain, "sla.escalation"):
        return
    for index, tier in enumerate(chain):
        path = f"sla.escalation[{index}]"
        if not c.mapping(tier, path):
            continue
        if tier.get("tier") != ESCALATION_TIERS[min(index, 2)]:
            c.error(f"{path}.tier", f"must be '{ESCALATION_TIERS[min(index, 2)]}'")
        if tier.get("role") not in STAFF_ROLES:
            c.error(f"{path}.role", f"unknown role '{tier.get('role')}'")
        if index > 0:
            c.limit(tier.get("limit"), f"{path}.limit")


def _check_notifications(c, rules):
    if not c.listing(rules, "notifications"):
        return
    for index, rule in enumerate(rules):
        path = f"notifications[{index}]"
        if not c.mapping(rule, path):
            continue
        if rule.get("on") not in NOTIFY_EVENTS:
            c.error(f"{path}.on", f"unknown event '{rule.get('on')}'")
        to = rule.get("to")
        to = to if isinstance(to, list) else [to]
        if not to or not all(isinstance(r, str) and r in RECIPIENTS for r in to):
            c.error(f"{path}.to", f"must be one or more of {', '.join(sorted(RECIPIENTS))}")
        channels = rule.get("channels")
        if not isinstance(channels, list) or not set(channels) <= CHANNELS:
            c.error(f"{path}.channels", f"must be a list of {', '.join(sorted(CHANNELS))}")


def _check_filer_deadline(c, deadline, fields):
    """C-Form: the filer must submit within hours of the guest's arrival."""
    if deadline is None:
        return
    if not c.mapping(deadline, "filer_deadline"):
        return
    start = deadline.get("from_field")
    if start not in fields or fields[start].get("type") != "datetime":
        c.error("filer_deadline.from_field", "must name a datetime field")
    c.positive_number(deadline.get("hours"), "filer_deadline.hours")
    shorter = deadline.get("shorter", [])
    if not c.listing(shorter, "filer_deadline.shorter"):
        return
    for index, rule in enumerate(shorter):
        path = f"filer_deadline.shorter[{index}]"
        if not c.mapping(rule, path):
            continue
        if rule.get("field") not in fields:
            c.error(f"{path}.field", f"unknown field '{rule.get('field')}'")
        c.positive_number(rule.get("hours"), f"{path}.hours")
        if not isinstance(rule.get("values"), list):
            c.error(f"{path}.values", "must be a list")


def field_map(definition):
    return {spec["name"]: spec for spec in definition["fields"]}


def sources_of(transition):
    """The states a transition leaves from: its `from`, one name or a list, as a list."""
    sources = transition.get("from")
    return sources if isinstance(sources, list) else [sources]


def transitions_from(definition, state):
    """The transitions whose `from` includes `state`."""
    transitions = definition["workflow"].get("transitions", [])
    return [transition for transition in transitions if state in sources_of(transition)]


def fir_transition(definition, state=None):
    """The transition that registers an FIR (`via: fir`), from `state` if given, or None: which
    requests become FIRs, and from which state, is the definition's to say."""
    candidates = (
        definition["workflow"].get("transitions", [])
        if state is None
        else transitions_from(definition, state)
    )
    return next((t for t in candidates if t.get("via") == "fir"), None)


def action_label(definition, action, language="en"):
    """The label of a workflow action as people read it (the action's name if it has none)."""
    for transition in definition["workflow"].get("transitions", []):
        if transition.get("action") == action:
            label = transition.get("label") or {}
            return label.get(language) or label.get("en") or action
    return action or ""


def state_info(definition, state):
    return definition["workflow"]["states"][state]


def load_file(path):
    """Read one definition file (see parse_yaml)."""
    with open(path, encoding="utf-8") as handle:
        return parse_yaml(handle.read(), path)


def parse_yaml(text, source="definition"):
    """A definition from YAML text. YAML 1.1 reads the key `on` as boolean true, so notification
    rules written `{on: submitted}` are turned back into `{"on": "submitted"}` here."""
    import yaml

    try:
        definition = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise DefinitionError(source, [f"not valid YAML: {error}"]) from error
    if isinstance(definition, dict):
        for rule in definition.get("notifications") or []:
            if isinstance(rule, dict) and True in rule:
                rule["on"] = rule.pop(True)
    return _plain(definition)


def to_yaml(definition):
    """A definition as YAML for people to edit (Hindi kept readable)."""
    import yaml

    return yaml.safe_dump(_plain(definition), allow_unicode=True, sort_keys=False, width=100)


def _plain(value):
    """Dates from YAML become ISO strings, so a definition is JSON- and Mongo-safe throughout."""
    import datetime

    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value
