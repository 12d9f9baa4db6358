"""What changed between two versions of a service definition, in sentences an administrator reads
("Time limit: 7 → 5 working days", "Field “Occupation” added"), in the page's language.

changes(old, new, language) compares the parts people change (names, time limits and
escalation, fields, workflow states and steps, the fee, who is notified) one by one; anything
else that differs is named by its key, so no change goes unmentioned.
"""

from flask_babel import force_locale, ngettext
from flask_babel import gettext as _

from .catalogue import sources_of
from .field_builder import condition_words

_KNOWN = {"name", "sla", "fields", "workflow", "fee", "notifications", "code"}


def _text(value, language):
    if isinstance(value, dict):
        return value.get(language) or value.get("en") or ""
    return "" if value is None else str(value)


def _limit(limit):
    if not limit:
        return _("none")
    value, unit = limit.get("value"), limit.get("unit")
    units = {
        "minutes": ngettext("%(num)d minute", "%(num)d minutes", value),
        "hours": ngettext("%(num)d hour", "%(num)d hours", value),
        "days": ngettext("%(num)d day", "%(num)d days", value),
        "working_days": ngettext("%(num)d working day", "%(num)d working days", value),
    }
    return units.get(unit, f"{value} {unit}")


def _arrow(label, before, after):
    return _("%(what)s: %(before)s → %(after)s", what=label, before=before, after=after)


def _sla(old, new):
    said = []
    old, new = old or {}, new or {}
    if old.get("limit") != new.get("limit"):
        before, after = old.get("limit") or {}, new.get("limit") or {}
        if before.get("unit") == after.get("unit") and before and after:
            # "7 → 5 working days": the unit once, at the end.
            unit_text = _limit(after)
            number = str(after.get("value"))
            said.append(_arrow(_("Time limit"), before.get("value"), unit_text)
                        if unit_text.startswith(number) else
                        _arrow(_("Time limit"), _limit(before), unit_text))  # fmt: skip
        else:
            said.append(_arrow(_("Time limit"), _limit(before), _limit(after)))
    if old.get("warn_at") != new.get("warn_at"):
        said.append(
            _arrow(
                _("Warning"),
                _("at %(share)d%%", share=round((old.get("warn_at") or 0) * 100)),
                _("at %(share)d%%", share=round((new.get("warn_at") or 0) * 100)),
            )
        )
    before = {t.get("tier"): t for t in old.get("escalation") or []}
    after = {t.get("tier"): t for t in new.get("escalation") or []}
    for tier in after.keys() - before.keys():
        said.append(_("Escalation tier “%(tier)s” added", tier=tier))
    for tier in before.keys() - after.keys():
        said.append(_("Escalation tier “%(tier)s” removed", tier=tier))
    for tier in before.keys() & after.keys():
        if before[tier].get("role") != after[tier].get("role"):
            said.append(
                _arrow(
                    _("Escalation tier “%(tier)s”: who decides", tier=tier),
                    before[tier].get("role"),
                    after[tier].get("role"),
                )
            )
        if before[tier].get("limit") != after[tier].get("limit"):
            said.append(
                _arrow(
                    _("Escalation tier “%(tier)s”: time limit", tier=tier),
                    _limit(before[tier].get("limit")),
                    _limit(after[tier].get("limit")),
                )
            )
    return said


def _fields(old, new, language):
    said = []
    before = {f["name"]: f for f in old or []}
    after = {f["name"]: f for f in new or []}
    for field in new or []:
        if field["name"] not in before:
            label = _text(field.get("label"), language)
            if field.get("required"):
                said.append(_("Field “%(label)s” added (required)", label=label))
            else:
                said.append(_("Field “%(label)s” added", label=label))
    for field in old or []:
        if field["name"] not in after:
            said.append(_("Field “%(label)s” removed", label=_text(field.get("label"), language)))
    for name in before.keys() & after.keys():
        was, now = before[name], after[name]
        label = _text(now.get("label"), language)
        if bool(was.get("required")) != bool(now.get("required")):
            if now.get("required"):
                said.append(_("Field “%(label)s” is now required", label=label))
            else:
                said.append(_("Field “%(label)s” is now optional", label=label))
        for lang, lang_name in (("en", _("English")), ("hi", _("Hindi"))):
            old_label = (was.get("label") or {}).get(lang)
            new_label = (now.get("label") or {}).get(lang)
            if old_label != new_label:
                said.append(
                    _arrow(
                        _(
                            "Label of field “%(name)s” (%(language)s)",
                            name=name,
                            language=lang_name,
                        ),
                        old_label or "—",
                        new_label or "—",
                    )
                )
        if was.get("type") != now.get("type"):
            said.append(_arrow(_("Type of field “%(label)s”", label=label), was.get("type"),
                               now.get("type")))  # fmt: skip
        if was.get("show_when") != now.get("show_when"):
            if now.get("show_when"):
                said.append(
                    _(
                        "Field “%(label)s” is now asked only when %(condition)s",
                        label=label,
                        condition=condition_words(new, language).get(name, ""),
                    )
                )
            else:
                said.append(_("Field “%(label)s” is now always asked", label=label))
        shown = ("label", "required", "type", "show_when")
        other = {k for k in was.keys() | now.keys() if k not in shown}
        if any(was.get(k) != now.get(k) for k in other):
            said.append(_("Field “%(label)s”: other settings changed", label=label))
    common = [n for n in (f["name"] for f in old or []) if n in after]
    if common != [n for n in (f["name"] for f in new or []) if n in before]:
        said.append(_("Fields reordered"))
    return said


def _without(mapping, key):
    return {k: v for k, v in mapping.items() if k != key}


def _workflow(old, new, language):
    said = []
    old, new = old or {}, new or {}
    before, after = old.get("states") or {}, new.get("states") or {}
    for state in after.keys() - before.keys():
        said.append(_("State “%(state)s” added", state=_text(after[state].get("public"), language)))
    for state in before.keys() - after.keys():
        said.append(
            _("State “%(state)s” removed", state=_text(before[state].get("public"), language))
        )
    for state in before.keys() & after.keys():
        if before[state] != after[state]:
            said.append(
                _("State “%(state)s” changed", state=_text(after[state].get("public"), language))
            )

    def steps(workflow):
        # A step leaving several states names them in a list: the key holds them as a tuple.
        return {
            (t.get("action"), tuple(sources_of(t))): t for t in workflow.get("transitions") or []
        }

    was, now = steps(old), steps(new)
    for key in sorted(now.keys() - was.keys(), key=str):
        said.append(_("Step “%(step)s” added", step=_text(now[key].get("label"), language)))
    for key in sorted(was.keys() - now.keys(), key=str):
        said.append(_("Step “%(step)s” removed", step=_text(was[key].get("label"), language)))
    for key in sorted(was.keys() & now.keys(), key=str):
        label = _text(now[key].get("label"), language)
        if was[key].get("roles") != now[key].get("roles"):
            said.append(
                _arrow(
                    _("Who may take step “%(step)s”", step=label),
                    ", ".join(was[key].get("roles") or []),
                    ", ".join(now[key].get("roles") or []),
                )
            )
        elif _without(was[key], "report") != _without(now[key], "report"):
            said.append(_("Step “%(step)s” changed", step=label))
        for line in _fields(was[key].get("report"), now[key].get("report"), language):
            said.append(_("Report form at step “%(step)s”: %(change)s", step=label, change=line))
    if old.get("initial") != new.get("initial"):
        said.append(_arrow(_("First state"), old.get("initial"), new.get("initial")))
    return said


def changes(old, new, language="en"):
    """Sentences saying how `new` differs from `old` (two definitions), in `language`."""
    with force_locale(language):
        said = []
        for lang, lang_name in (("en", _("English")), ("hi", _("Hindi"))):
            before = (old.get("name") or {}).get(lang)
            after = (new.get("name") or {}).get(lang)
            if before != after:
                said.append(_arrow(_("Name (%(language)s)", language=lang_name), before, after))
        said += _sla(old.get("sla"), new.get("sla"))
        said += _fields(old.get("fields"), new.get("fields"), language)
        said += _workflow(old.get("workflow"), new.get("workflow"), language)
        if old.get("fee") != new.get("fee"):
            said.append(_("Fee changed"))
        if old.get("notifications") != new.get("notifications"):
            said.append(_("Who is notified changed"))
        others = sorted(
            key
            for key in old.keys() | new.keys()
            if key not in _KNOWN and old.get(key) != new.get(key)
        )
        if others:
            said.append(_("Other settings changed: %(keys)s", keys=", ".join(others)))
        return [str(sentence) for sentence in said]
