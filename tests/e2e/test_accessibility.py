"""Every page a citizen or an officer can reach, in English and in Hindi, passes axe-core
(WCAG 2.1 A and AA), never scrolls sideways, and the pages work from the keyboard alone.

The English walk is on a desktop, the Hindi one on a 390 x 844 phone (Hindi's longer words are
the harder case), so every page is seen at both sizes without walking it twice.

The admin pages are found by walking the admin's own menu as the state administrator and as a
station officer sees it, then each list's first record (details and edit) and its "create" form,
so a view added later is checked without touching this file.
"""

import re
from urllib.parse import urljoin, urlparse

import pytest

from tests.helpers.live_api import DEMO

LANGUAGES = ("en", "hi")
PHONE = {"width": 390, "height": 844}
VIEWPORTS = {"en": None, "hi": PHONE}

CITIZEN_PAGES_PUBLIC = [
    "/",
    "/services",
    "/charter",
    "/services/tenant_verification",
    "/track",
    "/verify",
    "/stations",
    "/login",
    "/signin/mobile",
    "/register",
    "/register/mobile",
    "/reset",
    "/confirm",
    "/help",
    "/registers",
    "/registers/missing_person",
    "/registers/stolen_vehicle?registration=HR26AB0001",
    "/firs?state=HR",
    "/open-data",
    "/api/docs",
]
CITIZEN_PAGES_SIGNED_IN = [
    "/dashboard",
    "/my/requests",
    "/notifications",
    "/services/tenant_verification/apply",
    "/services/character_certificate/apply",
    "/change",
    "/reauthenticate",
    "/account/mobile",
]


def _choose_language(tab, language):
    tab.page.click(f"form.language-switch button[value={language}]")
    tab.page.wait_for_load_state()
    assert tab.page.get_attribute("html", "lang") == language


def _check_all(tab, paths, prefix):
    """axe every path; collect the failures rather than stop at the first, so one run names
    every page that needs mending."""
    failures = {}
    for path in paths:
        response = tab.page.goto(tab.base_url + path)
        if response is None or response.status >= 400:
            failures[path] = f"HTTP {response and response.status}"
            continue
        name = f"{prefix}{re.sub(r'[^a-z0-9]+', '-', path.lower()).strip('-')}"
        violations = tab.axe(name)
        if violations:
            failures[path] = violations
        elif tab.page.evaluate("document.documentElement.scrollWidth > window.innerWidth"):
            tab.shot(name)
            failures[path] = f"scrolls sideways at {tab.page.viewport_size['width']} px"
    return failures


def _same_site_links(page, base_url, selector):
    hrefs = page.eval_on_selector_all(selector, "els => els.map(e => e.getAttribute('href'))")
    links = []
    for href in hrefs:
        if not href or href.startswith("#") or href.startswith("javascript"):
            continue
        url = urlparse(urljoin(base_url + "/", href))
        path = url.path + (f"?{url.query}" if url.query else "")
        if url.path.startswith("/admin") and path not in links:
            links.append(path)
    return links


def _check_admin(tab, prefix):
    """axe the admin's menu, each list as it is walked (one visit), then for each list its
    create form and its first record; returns (pages checked, failures)."""
    tab.open("/admin/")
    menu = _same_site_links(tab.page, tab.base_url, "nav a.nav-link, nav a.dropdown-item")
    listings = ["/admin/", *[m for m in menu if m != "/admin/"]]
    records, failures = [], {}
    for listing in listings:
        failures.update(_check_all(tab, [listing], prefix))
        for selector in (
            "a[href*='/new/']",
            "table a[href*='/details/']",
            "table a[href*='/edit/']",
            "table a[href^='/admin/queue/'], table a[href*='/admin/appeals/']",
            "a[href$='/admin/firs/new'], table a[href^='/admin/firs/']",
            "table a[href*='/admin/catalogue/versions/']",  # a service's versions and diff
            "table a[href*='/admin/catalogue/limits/']",  # its time limits as a form
            "table a[href*='/admin/catalogue/fields/']",  # its fields as a table
            "table a[href*='/admin/catalogue/workflow/']",  # its workflow, drawn
            "table a[href*='/admin/catalogue/copy/']",  # a new service from a copy of it
            "a[href^='/admin/sms_templates/request_status/']",  # an SMS wording's edit page
            "a[href^='/admin/notice_templates/appeal_decided/email/']",  # an email's wording
        ):
            for link in _same_site_links(tab.page, tab.base_url, selector)[:1]:
                if link not in listings and link not in records and "export" not in link:
                    records.append(link)
    for workflow in [r for r in records if r.startswith("/admin/catalogue/workflow/")][:1]:
        tab.open(workflow)  # a step's officer report form is reached from its workflow
        records += _same_site_links(tab.page, tab.base_url, "a[href*='step=']")[:1]
    failures.update(_check_all(tab, records, prefix))
    return listings + records, failures


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_citizen_page_passes_axe(tab_factory, language):
    anonymous = tab_factory(viewport=VIEWPORTS[language])
    anonymous.open("/")
    _choose_language(anonymous, language)
    failures = _check_all(anonymous, CITIZEN_PAGES_PUBLIC, f"60-{language}-")

    citizen = tab_factory(viewport=VIEWPORTS[language])
    citizen.csrf_form_login(DEMO["citizen"]["email"], DEMO["citizen"]["password"])
    _choose_language(citizen, language)
    mine = citizen.open("/my/requests")
    requests = _same_site_paths(mine, "/my/requests/")
    assert requests, "the demo citizen has requests (make test seeds the demo requests)"
    try:
        failures.update(
            _check_all(citizen, CITIZEN_PAGES_SIGNED_IN + requests[:4], f"61-{language}-")
        )
        failures.update(_apply_with_errors(citizen, language))
    finally:
        _choose_language(
            citizen, "en"
        )  # the choice is kept on the account; other tests read English
    assert failures == {}, failures


def _apply_with_errors(citizen, language):
    """An application sent back with errors: the summary and the fields it links to."""
    page = citizen.open("/services/tenant_verification/apply")
    page.click("form.stack button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".error-summary").count() == 1
    violations = citizen.axe(f"62-{language}-apply-errors")
    return {"apply with errors": violations} if violations else {}


def _same_site_paths(page, prefix):
    hrefs = page.eval_on_selector_all("main a", "els => els.map(e => e.getAttribute('href'))")
    return sorted({h for h in hrefs if h and h.startswith(prefix) and h.count("/") == 3})


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("who", ["admin.haryana", "sho.sector29"])
def test_every_admin_page_passes_axe(tab_factory, who, language):
    tab = tab_factory(viewport=VIEWPORTS[language])
    tab.csrf_form_login(DEMO[who]["email"], DEMO[who]["password"])
    tab.open("/admin/")
    _choose_language(tab, language)
    try:
        pages, failures = _check_admin(tab, f"70-{who}-{language}-")
        assert len(pages) >= (15 if who == "admin.haryana" else 5), pages
    finally:
        tab.open("/admin/")
        _choose_language(tab, "en")
    assert failures == {}, failures


def test_the_portal_works_by_keyboard_alone(tab_factory):
    """Skip link first, a visible focus ring, and a request tracked without touching the mouse."""
    tab = tab_factory()
    page = tab.open("/track")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert "skip-link" in focused
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    # Tab from the main landmark to the number field, type, submit with Enter.
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "number":
            break
    else:
        pytest.fail("the request number field cannot be reached by Tab")
    page.keyboard.type("HR-TEN-2026-000001-X")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert page.locator("main").inner_text()  # an answer, found or not, without a mouse
    tab.check("80-track-by-keyboard")


def test_an_officer_reaches_the_queue_by_keyboard_alone(tab_factory):
    """Every control on the way shows its focus; the Requests menu opens from the keyboard."""
    tab = tab_factory()
    tab.csrf_form_login(DEMO["officer.sector29"]["email"], DEMO["officer.sector29"]["password"])
    page = tab.open("/admin/")
    page.keyboard.press("Tab")
    assert "skip-link" in page.evaluate("document.activeElement.className")
    for _ in range(10):
        page.keyboard.press("Tab")
        focus = page.evaluate(
            "(() => { const e = document.activeElement, s = getComputedStyle(e);"
            " return [e.textContent.trim(), s.outlineStyle, s.boxShadow]; })()"
        )
        assert focus[1:] != ["none", "none"], f"no visible focus on {focus[0]!r}"
        if focus[0] == "Requests":
            break
    else:
        pytest.fail("the Requests menu cannot be reached by Tab")
    page.keyboard.press("Enter")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.textContent.trim()") == "My queue"
    page.keyboard.press("Enter")
    page.wait_for_url("**/admin/queue/")
    tab.check("81-queue-by-keyboard")
