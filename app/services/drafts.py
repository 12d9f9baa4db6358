"""Drafts: a signed-in citizen's unfinished service form is kept as they type, and offered back
when they open the form again, for KEEP_DAYS; submitting the request ends it. Files are chosen
again, and an Aadhaar number is never kept in a draft."""

from datetime import UTC, datetime, timedelta

from app.models import FormDraft
from app.models.base import as_utc

KEEP_DAYS = 30
MAX_VALUE = 5000  # characters of one answer (the longest field allows 5,000)
SKIPPED_TYPES = ("file", "aadhaar")


def _key(user, code):
    return f"{user.id}:{code}"


def save(user, definition, posted, now=None):
    """Keep the answers of `posted` (a form's MultiDict) that the definition's fields name."""
    now = now or datetime.now(UTC)
    values = {}
    for spec in definition["fields"]:
        if spec["type"] in SKIPPED_TYPES:
            continue
        given = [str(v)[:MAX_VALUE] for v in posted.getlist(spec["name"]) if str(v).strip()]
        if given:
            values[spec["name"]] = given if spec["type"] == "multi_select" else given[0]
    if posted.get("station"):
        values["station"] = str(posted.get("station"))[:40]
    FormDraft(
        key=_key(user, definition["code"]),
        user=user,
        service=definition["code"],
        values=values,
        updated_at=now,
    ).save()
    return values


def load(user, code, now=None):
    """The kept answers, or {} (none, or older than KEEP_DAYS: then it is dropped)."""
    now = now or datetime.now(UTC)
    draft = FormDraft.objects(key=_key(user, code)).first()
    if draft is None:
        return {}
    if as_utc(draft.updated_at) < now - timedelta(days=KEEP_DAYS):
        draft.delete()
        return {}
    return dict(draft.values)


def discard(user, code):
    FormDraft.objects(key=_key(user, code)).delete()
