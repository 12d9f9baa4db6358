"""The citizen-facing pages: home, the signed-in dashboard, language switch, registration notice."""

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user
from flask_security import auth_required

from app.i18n import current_language
from app.models import Faq, PoliceStation, State, UsefulLink
from app.models.jurisdictions import localized
from app.services import citizen_todo, service_types

bp = Blueprint("portal", __name__)


def _safe_next(target):
    """Only same-site relative paths; anything else goes home."""
    if not target:
        return url_for("portal.index")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("portal.index")
    return target


@bp.get("/")
def index():
    language = current_language()
    states = [
        {"code": s.code, "name": localized(s, "name", language)}
        for s in State.objects.only("code", "name_en", "name_hi")
    ]
    state = current_user.state if current_user.is_authenticated and current_user.state else None
    state = state or State.objects.order_by("code").first()
    services = service_types.live_services(state) if state else []
    return render_template("portal/index.html", states=states, services=services)


@bp.get("/stations")
def stations():
    """Public station directory, filterable by PIN code."""
    pincode = request.args.get("pincode", "", type=str).strip()
    query = PoliceStation.objects.only(
        "code", "name_en", "name_hi", "address", "phone", "email", "pincodes"
    )
    error = None
    if pincode:
        if not (pincode.isdigit() and len(pincode) == 6):
            error = "pincode"
            query = query.none()
        else:
            query = query.filter(pincodes=pincode)
    return render_template(
        "portal/stations.html", stations=list(query.limit(200)), pincode=pincode, error=error
    )


@bp.get("/help")
def help_page():
    """FAQs and useful links: the national ones and those of the chosen (or the user's) state."""
    states = list(State.objects.only("code", "name_en", "name_hi").order_by("code"))
    code = request.args.get("state", "", type=str).strip().upper()[:4]
    mine = getattr(current_user, "state", None) if current_user.is_authenticated else None
    state = next((s for s in states if s.code == code), None) or mine
    places = [None] + ([state.id] if state else [])
    return render_template(
        "portal/help.html",
        faqs=list(Faq.objects(state__in=places, published=True).order_by("order")),
        links=list(UsefulLink.objects(state__in=places, published=True).order_by("order")),
        states=states,
        state=state,
    )


@bp.post("/language")
def set_language():
    language = request.form.get("language", "", type=str)
    if language not in current_app.config["LANGUAGES"]:
        abort(400)
    session["lang"] = language
    if current_user.is_authenticated and current_user.language != language:
        current_user.modify(set__language=language)
    return redirect(_safe_next(request.form.get("next", "", type=str)))


@bp.get("/start")
@auth_required("session")
def start():
    """Where a login lands: staff who work requests on their queue, other staff on the admin's
    front page, citizens and organisations on their dashboard."""
    if current_user.has_permission("requests.view"):
        return redirect(url_for("queue.index"))
    if current_user.has_permission("requests.file_assisted"):  # a Common Service Centre
        return redirect(url_for("desk.index"))
    if current_user.has_permission("admin.access"):
        return redirect(url_for("admin.index"))
    return redirect(url_for("portal.dashboard"))


@bp.get("/dashboard")
@auth_required("session", "token")
def dashboard():
    """The account page, led by what the citizen has to do now (services.citizen_todo)."""
    return render_template("portal/dashboard.html", todo=citizen_todo.todo(current_user))


@bp.get("/registered")
def registered():
    return render_template("portal/registered.html")
