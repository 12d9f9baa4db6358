"""Browser tier: Playwright driving Debian's Chromium (never `playwright install`) against the
live stack that scripts/test.sh started, with axe-core injected into each page.

Screenshots go to --artifacts (make test: test-artifacts/). A Content-Security-Policy violation
reported by the browser fails the test, so the CSP is exercised as users meet it.
"""

import functools
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

HERE = Path(__file__).parent
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@functools.cache
def _axe_source():
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def base_url():
    url = os.environ.get("LIVE_BASE_URL")
    if not url:
        pytest.fail("LIVE_BASE_URL is not set: run this tier through `make test`")
    return url.rstrip("/")


@pytest.fixture(scope="session")
def artifacts(request):
    path = Path(request.config.getoption("--artifacts")).resolve() / "e2e"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: scripts/e2e-setup.sh installs Debian's chromium")
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: scripts/e2e-setup.sh runs npm ci in tests/e2e")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


class Tab:
    """One browser context: a page, its CSP violations, screenshots and axe checks."""

    def __init__(self, context, base_url, artifacts):
        self.context = context
        self.page = context.new_page()
        self.base_url = base_url
        self.artifacts = artifacts
        self.csp_violations = []
        self.page.on("console", self._on_console)

    def _on_console(self, message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.csp_violations.append(message.text)

    def open(self, path):
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.status < 400, (
            f"{path}: {response and response.status}"
        )
        return self.page

    def shot(self, name):
        self.page.screenshot(path=str(self.artifacts / f"{name}.png"), full_page=True)

    def axe(self, name):
        """Run axe-core (WCAG 2.1 A/AA) on the current page; returns the violations."""
        self.page.evaluate(_axe_source())
        # Violations only: collecting the passes as well took most of axe's time on a long page.
        result = self.page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
            " resultTypes: ['violations']})",
            AXE_TAGS,
        )
        violations = [
            {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"]
        ]
        if violations:
            (self.artifacts / f"{name}.axe.txt").write_text(repr(violations), encoding="utf-8")
        return violations

    def check(self, name):
        """Screenshot, then assert no axe violations and no CSP violations so far."""
        self.shot(name)
        violations = self.axe(name)
        assert violations == [], f"{name}: {violations}"
        assert self.csp_violations == [], f"{name}: {self.csp_violations}"

    def csrf_form_login(self, email, password):
        self.open("/login")
        self.page.fill("#email", email)
        self.page.fill("#password", password)
        self.page.click("#submit")
        self.page.wait_for_load_state()


@pytest.fixture(autouse=True)
def reset_rate_limits():
    """Each journey logs in several times from 127.0.0.1; the login limit (30 a minute, kept in
    Redis) would otherwise carry over between tests and answer 429."""
    import redis

    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.fail("REDIS_URL is not set: run this tier through `make test`")
    client = redis.Redis.from_url(url)
    for key in client.scan_iter("LIMITS*"):
        client.delete(key)
    yield


@pytest.fixture
def tab_factory(chromium, base_url, artifacts):
    contexts = []

    def make(viewport=None):
        context = chromium.new_context(
            viewport=viewport or {"width": 1280, "height": 900}, locale="en-IN"
        )
        contexts.append(context)
        return Tab(context, base_url, artifacts)

    yield make
    for context in contexts:
        context.close()


def newest_link(page, pattern):
    links = [a.get_attribute("href") for a in page.query_selector_all("a.outbox-link")]
    return next(link for link in links if re.search(pattern, link or ""))
