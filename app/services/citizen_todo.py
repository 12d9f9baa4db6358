"""What a citizen has to do now, for the top of their dashboard: requests waiting for them (a
step of theirs, such as providing documents), e-FIRs to sign, appeals they may file (and until
when), closed requests asking for a rating. Read from their newest requests (bounded)."""

from dataclasses import dataclass
from datetime import UTC, datetime

from app.models import Fir, ServiceRequest

from . import appeals, catalogue, service_types, workflow

RECENT = 100  # the newest requests looked at; older ones are on "My requests"


@dataclass(frozen=True)
class Todo:
    kind: str  # "step", "sign_fir", "appeal", "rate"
    number: str  # the request's number (for an e-FIR, its complaint's)
    service: dict  # the service's name {"en", "hi"}
    detail: object = None  # the step's label, the e-FIR's deadline, the appeal's closing time
    fir_id: str = ""


def todo(user, now=None):
    """[Todo] for `user`, the most urgent kinds first."""
    now = now or datetime.now(UTC)
    items: list[Todo] = []
    recent = ServiceRequest.objects(applicant=user.id).order_by("-submitted_at").limit(RECENT)
    names = {}
    for found in recent.exclude("data", "previous_data", "notes"):
        definition = service_types.definition_of(found)
        names[found.id] = definition["name"]
        for transition, _role in workflow.available_actions(found, user):
            reaches = catalogue.state_info(definition, transition["to"])
            if not reaches.get("final"):  # their own step forward, not a withdrawal
                items.append(Todo("step", found.number, definition["name"], transition["label"]))
        if found.closed_at is not None:
            open_appeal = appeals.eligibility(found, now)
            if open_appeal is not None:
                items.append(Todo("appeal", found.number, definition["name"], open_appeal[2]))
            elif appeals.can_rate(found):
                items.append(Todo("rate", found.number, definition["name"]))
    for fir in Fir.objects(complainant=user.id, status="pending_confirmation"):
        complaint = fir.complaint
        items.append(
            Todo(
                "sign_fir",
                complaint.number if complaint else "",
                names.get(getattr(complaint, "id", None), {"en": "FIR", "hi": "एफ़आईआर"}),
                fir.confirm_by,
                str(fir.id),
            )
        )
    order = {"sign_fir": 0, "step": 1, "appeal": 2, "rate": 3}
    return sorted(items, key=lambda item: order[item.kind])
