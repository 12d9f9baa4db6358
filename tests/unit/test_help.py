"""FAQs and useful links: national ones everywhere, a state's own only for that state, kept by
that state's administrators, in both languages; "Emergency? Dial 112" on every page."""

import re

from app.models import Faq, State, UsefulLink


def _state_faqs():
    haryana, delhi = State.objects.get(code="HR"), State.objects.get(code="DL")
    Faq(state=haryana, question_en="Where is the Haryana Police HQ?",
        question_hi="हरियाणा पुलिस मुख्यालय कहाँ है?", answer_en="Panchkula.",
        answer_hi="पंचकूला।").save()  # fmt: skip
    Faq(state=delhi, question_en="Delhi only?", question_hi="केवल दिल्ली?", answer_en="Yes.",
        answer_hi="हाँ।").save()  # fmt: skip
    Faq(question_en="Hidden?", question_hi="छिपा?", answer_en="x", answer_hi="x",
        published=False).save()  # fmt: skip


def test_the_help_page_shows_national_and_the_states_own_entries(app, client):
    # No `ctx` fixture: a pushed app context would keep the first request's language.
    with app.app_context():
        _state_faqs()
    page = client.get("/help?state=HR").get_data(as_text=True)
    assert "How do I know what is happening with my request?" in page  # national, from the seed
    assert "Where is the Haryana Police HQ?" in page and "Delhi only?" not in page
    assert "Hidden?" not in page and "https://cybercrime.gov.in/" in page
    assert "Emergency? Dial 112" in page
    hindi = (
        app.test_client()
        .get("/help?state=HR", headers={"Accept-Language": "hi-IN,hi;q=0.9,en;q=0.5"})
        .get_data(as_text=True)
    )
    assert "हरियाणा पुलिस मुख्यालय कहाँ है?" in hindi and "साइबर अपराध" in hindi


def test_every_page_links_help_and_shows_112(client):
    for path in ("/", "/services", "/track", "/verify", "/stations"):
        page = client.get(path).get_data(as_text=True)
        assert "Emergency? Dial 112" in page and 'href="/help"' in page, path


def test_a_state_administrator_keeps_their_states_faqs_only(app, client, auth):
    auth.login("admin.haryana")
    form = client.get("/admin/faqs/new/").get_data(as_text=True)
    choices = re.findall(r'<option[^>]*value="([0-9a-f]{24})"', form)
    with app.app_context():
        haryana, delhi = State.objects.get(code="HR"), State.objects.get(code="DL")
    assert str(haryana.id) in choices and str(delhi.id) not in choices
    data = {
        "state": str(delhi.id),
        "question_en": "Q?",
        "question_hi": "प्र?",
        "answer_en": "A.",
        "answer_hi": "उ।",
        "order": "5",
        "published": "y",
        "csrf_token": auth.csrf("/admin/faqs/new/"),
    }
    client.post("/admin/faqs/new/", data=data)
    with app.app_context():
        assert Faq.objects(question_en="Q?").count() == 0  # another state: refused
    client.post("/admin/faqs/new/", data=dict(data, state=str(haryana.id)))
    with app.app_context():
        assert Faq.objects(question_en="Q?", state=haryana.id).count() == 1
    bad = {
        "state": str(haryana.id),
        "title_en": "Bad",
        "title_hi": "खराब",
        "url": "javascript:alert(1)",
        "order": "1",
        "csrf_token": auth.csrf("/admin/links/new/"),
    }
    client.post("/admin/links/new/", data=bad)
    with app.app_context():
        assert UsefulLink.objects(title_en="Bad").count() == 0
    auth.logout()
    auth.login("officer.sector29")
    assert client.get("/admin/faqs/new/").status_code in (302, 403)
