"""English and Hindi: complete catalogues, a switch on every page, the choice remembered."""

import os
import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from app.models import User

from conftest import DEMO

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(__file__)))
HI = os.path.join(ROOT, "app", "translations", "hi", "LC_MESSAGES")
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def catalogue(name):
    with open(os.path.join(HI, name), "rb") as handle:
        return {m.id: m.string for m in read_po(handle, locale="hi") if m.id}


def strings_in_code():
    method_map = [("app/**.py", "python"), ("app/templates/**.html", "jinja2")]
    options = {"app/templates/**.html": {"extensions": "jinja2.ext.do"}}
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        ROOT, method_map, options_map=options, keywords=KEYWORDS
    ):
        found.add(message)
    return found


def test_every_string_in_code_and_templates_has_a_hindi_translation():
    """A new _() string without a Hindi translation fails here (run `make extract-messages`)."""
    translations = catalogue("messages.po")
    in_code = strings_in_code()
    assert len(in_code) > 100
    missing = sorted(str(m) for m in in_code if not translations.get(m))
    assert missing == []


def test_hindi_catalogues_keep_placeholders():
    """A translation must carry the same %(name)s placeholders as its English source."""
    import re

    placeholder = re.compile(r"%\(\w+\)[sd]")
    for name in ("messages.po", "flask_security.po", "admin.po"):
        for msgid, msgstr in catalogue(name).items():
            if isinstance(msgid, tuple) or not msgstr:
                continue
            assert sorted(placeholder.findall(msgid)) == sorted(placeholder.findall(msgstr)), msgid


def test_language_switch_on_every_portal_page(client):
    for path in ["/", "/login", "/register", "/stations", "/reset"]:
        page = client.get(path).get_data(as_text=True)
        assert 'action="/language"' in page and 'value="hi"' in page, path


def test_switching_to_hindi_renders_hindi(client, auth):
    token = auth.csrf("/")
    response = client.post(
        "/language", data={"language": "hi", "next": "/login", "csrf_token": token}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="hi">' in page
    assert "आपातकाल? 112 डायल करें" in page  # ours
    assert "पासवर्ड" in page  # Flask-Security's field label


def test_browser_language_is_used_before_any_choice(client):
    page = client.get("/", headers={"Accept-Language": "hi-IN,hi;q=0.9,en;q=0.5"}).get_data(
        as_text=True
    )
    assert '<html lang="hi">' in page


def test_logged_in_users_choice_is_remembered_across_sessions(client, auth, app):
    auth.login("sho.sector29")
    client.post("/language", data={"language": "hi", "next": "/", "csrf_token": auth.csrf("/")})
    with app.app_context():
        assert User.objects.get(email=DEMO["sho.sector29"]["email"]).language == "hi"
    other = app.test_client()
    account = DEMO["sho.sector29"]
    token = (
        __import__("re")
        .search(
            r'name="csrf_token"[^>]*value="([^"]+)"', other.get("/login").get_data(as_text=True)
        )
        .group(1)
    )
    other.post(
        "/login",
        data={"email": account["email"], "password": account["password"], "csrf_token": token},
    )
    admin_page = other.get("/admin/").get_data(as_text=True)
    assert '<html lang="hi">' in admin_page and "डैशबोर्ड" in admin_page


def test_admin_lists_are_in_hindi(client, auth):
    auth.login("admin.haryana")
    client.post("/language", data={"language": "hi", "next": "/", "csrf_token": auth.csrf("/")})
    page = client.get("/admin/holidays/").get_data(as_text=True)
    assert "अवकाश" in page and "सूची" in page  # our view name and Flask-Admin's tab


def test_unknown_language_is_400(client, auth):
    assert (
        client.post("/language", data={"language": "fr", "csrf_token": auth.csrf("/")}).status_code
        == 400
    )


def test_admin_shows_places_in_the_pages_language(client, auth):
    auth.login("admin.haryana")
    client.post("/language", data={"language": "hi", "next": "/", "csrf_token": auth.csrf("/")})
    page = client.get("/admin/stations/").get_data(as_text=True)
    assert "गुरुग्राम (GGM)" in page and "Gurugram (GGM)" not in page


# Words a template may print as they are: abbreviations that read the same in Hindi.
UNTRANSLATED_ALLOWED = {"PDF", "KB", "XXXX", "QR", "IST", "CSV", "JSON"}


def _visible_literal_words(text):
    """The words a template prints outside {{ _() }} and tags: each is an untranslated string."""
    text = re.sub(r"\{#.*?#\}", " ", text, flags=re.S)
    text = re.sub(r"\{%-?\s*set \w+\s*-?%\}.*?\{%-?\s*endset\s*-?%\}", " ", text, flags=re.S)
    text = re.sub(r"\{%.*?%\}|\{\{.*?\}\}", " ", text, flags=re.S)
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S | re.I)
    text = re.sub(r"<[^>]*>", " ", text, flags=re.S)
    text = re.sub(r"url\(#[^)]*\)|&#?\w+;", " ", text)
    text = re.sub(r"[\w-]+=\"[^\"]*\"", " ", text)  # attributes a macro writes into a tag
    words = re.findall(r"([A-Za-z][A-Za-z'’]+)(=?)", text)
    return [w for w, is_name in words if not is_name and w not in UNTRANSLATED_ALLOWED]


def test_no_template_prints_an_untranslated_string():
    """Every word a page shows goes through _() (the PDFs, printed in both languages at once,
    are checked below instead)."""
    templates = Path(ROOT, "app", "templates")
    found = {}
    for path in sorted(templates.rglob("*.html")):
        if path.parent.name == "pdf":
            continue
        words = _visible_literal_words(path.read_text(encoding="utf-8"))
        if words:
            found[str(path.relative_to(templates))] = words
    assert found == {}
    # The check itself: a literal word is caught, a translated one is not.
    assert _visible_literal_words("<p>Submit {{ _('Submit') }}</p>") == ["Submit"]


def test_every_label_on_a_pdf_is_in_both_languages():
    """Acknowledgements and certificates carry English and Hindi side by side: every heading and
    row label has its Devanagari text."""
    pdfs = Path(ROOT, "app", "templates", "pdf")
    devanagari = re.compile(r"[\u0900-\u097F]")
    checked = 0
    for path in sorted(pdfs.glob("*.html")):
        text = path.read_text(encoding="utf-8")
        for label in re.findall(r"<(?:th|h1|h2)\b[^>]*>(.*?)</(?:th|h1|h2)>", text, flags=re.S):
            checked += 1
            assert devanagari.search(label) or "{{" in label, f"{path.name}: {label}"
    assert checked >= 10


def _upstream_catalogue(package, relative):
    import importlib

    base = Path(importlib.import_module(package).__file__).parent
    with open(base / relative, "rb") as handle:
        return [m.id for m in read_po(handle) if m.id]


def test_every_flask_security_and_flask_admin_message_has_a_hindi_translation():
    """Their pages, form errors and emails speak Hindi too: every message of the installed
    versions' catalogues is translated (an upgrade that adds messages fails here)."""
    for package, upstream, ours in (
        ("flask_security", "translations/flask_security.pot", "flask_security.po"),
        ("flask_admin", "translations/en/LC_MESSAGES/admin.po", "admin.po"),
    ):
        translations = catalogue(ours)
        missing = [
            m
            for m in _upstream_catalogue(package, upstream)
            if not translations.get(m) or (isinstance(m, tuple) and not all(translations[m]))
        ]
        assert missing == [], package


DEVANAGARI = re.compile(r"[\u0900-\u097F]{3,}")


def test_a_citizen_registering_in_hindi_gets_the_confirmation_email_in_hindi(client, auth, app):
    from app.models import OutboxMessage
    from tests.unit.test_accounts import register

    client.post("/language", data={"language": "hi", "next": "/", "csrf_token": auth.csrf("/")})
    assert register(client, auth, email="meena@mail.co.in").status_code == 302
    with app.app_context():
        message = OutboxMessage.objects(to="meena@mail.co.in").first()
        assert DEVANAGARI.search(message.subject), message.subject
        assert DEVANAGARI.search(message.body_text) and "/confirm/" in message.body_text
        assert User.objects.get(email="meena@mail.co.in").language == "hi"


def test_notifications_reach_a_hindi_speaker_in_hindi_by_every_channel(catalogue_seeded, ctx):
    """In-app, email and SMS of a submission, in the applicant's language, not the server's."""
    from datetime import UTC, datetime

    from app.models import Notification, OutboxMessage
    from tests.helpers.clock import submit_at, user

    citizen = user("citizen")
    citizen.language = "hi"
    citizen.save()
    request = submit_at("tenant_verification", datetime.now(UTC))
    [note] = Notification.objects(recipient=citizen.id, event="submitted")
    assert request.number in note.text and DEVANAGARI.search(note.text), note.text
    mine = OutboxMessage.objects(to__in=[citizen.email, citizen.mobile])  # no regex: FerretDB
    sent = {m.channel: m for m in mine if (m.key or "").startswith(f"{request.id}:")}
    assert {"email", "sms"} <= set(sent), sent
    assert DEVANAGARI.search(sent["email"].subject) and DEVANAGARI.search(sent["sms"].body_text)
    assert "Request" not in sent["sms"].body_text  # not the English text with Hindi names
