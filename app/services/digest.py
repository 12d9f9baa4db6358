"""The daily digest: each SHO and district supervisor hears what is open, due today and overdue.

One in-app notification and one email per officer per day, keyed by the date, so a digest task
run twice (two beat processes, a retry) sends one. Counts are per service, in the officer's
language.
"""

from collections import Counter
from datetime import UTC, datetime, timedelta

from flask import url_for
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from mongoengine.errors import NotUniqueError
from pymongo.errors import DuplicateKeyError

from app.constants import IST
from app.models import Notification, Posting, Role, ServiceRequest, ServiceType
from app.models.base import as_utc

from . import claims, mail, notice_templates

DIGEST_ROLES = {"sho": "station", "district_supervisor": "district"}


def counts(place_filter, now):
    """{service: Counter(open=, due_today=, overdue=)} of the open requests matching the filter."""
    end_of_day = datetime.combine(
        now.astimezone(IST).date() + timedelta(days=1), datetime.min.time(), tzinfo=IST
    )
    result: dict = {}
    rows = (
        ServiceRequest.objects(is_open=True, **place_filter)
        .only("service", "due_at", "paused_at")
        .as_pymongo()
    )
    for row in rows:
        tally = result.setdefault(row["service"], Counter())
        tally["open"] += 1
        due = as_utc(row.get("due_at"))
        if due is None or row.get("paused_at"):
            continue
        if due < now:
            tally["overdue"] += 1
        elif due < end_of_day:
            tally["due_today"] += 1
    return result


def _service_names(state_id):
    return {t.code: t for t in ServiceType.objects(state=state_id)}


def _name(service_type, code, language):
    if service_type is None:
        return code
    return service_type.name_hi if language == "hi" else service_type.name_en


def values_of(place_name, tallies, names, now, language):
    """The placeholders of one officer's digest, in `language`: the per-service lines composed
    here, filled into the wording an administrator may change (notice_templates' daily_digest),
    once for the in-app notice and once for the email."""
    with force_locale(language):
        day = format_date(now.astimezone(IST).date(), "d MMM yyyy")
        total: Counter = sum(tallies.values(), Counter())
        lines = [
            "- "
            + _(
                "%(service)s: %(open)d open, %(due)d due today, %(overdue)d overdue",
                service=_name(names.get(code), code, language),
                open=tallies[code]["open"],
                due=tallies[code]["due_today"],
                overdue=tallies[code]["overdue"],
            )
            for code in sorted(tallies)
        ] or [_("No open requests.")]
    return {
        "place": place_name,
        "date": day,
        "open": total["open"],
        "due_today": total["due_today"],
        "overdue": total["overdue"],
        "services": "\n".join(lines),
        "queue": url_for("queue.index", _external=True),
    }


def _postings():
    roles = {r.id: r.name for r in Role.objects(name__in=list(DIGEST_ROLES))}
    return Posting.objects(role__in=list(roles), active=True), roles


def send_daily(now=None):
    """Send today's digest to every SHO and district supervisor; returns how many were new."""
    now = now or datetime.now(UTC)
    day = now.astimezone(IST).date().isoformat()
    postings, roles = _postings()
    sent = 0
    names_by_state: dict = {}
    for posting in postings:
        user = posting.user
        if not user.active:
            continue
        level = DIGEST_ROLES[roles[posting.role.id]]
        place = posting.station if level == "station" else posting.district
        if place is None:
            continue
        state_id = posting.state.id
        names = names_by_state.setdefault(state_id, _service_names(state_id))
        tallies = counts({level: place.id}, now)
        language = user.language or "en"
        place_name = place.name_hi if language == "hi" else place.name_en
        key = f"digest:{day}:{user.id}:{place.id}"
        values = values_of(place_name, tallies, names, now, language)
        _subject, text = notice_templates.render("daily_digest", "in_app", language, **values)
        try:
            Notification(
                key=f"{key}:in_app", recipient=user, event="digest", text=text[:1000]
            ).save(force_insert=True)
            sent += 1
        except (NotUniqueError, DuplicateKeyError):
            pass
        if user.email and claims.take(f"notify:{key}:email"):
            subject, text = notice_templates.render("daily_digest", "email", language, **values)
            mail.queue_email(
                to=user.email,
                subject=subject,
                body_text=text,
                template="digest",
                key=f"{key}:email",
            )
    return sent
