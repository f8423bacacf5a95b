"""Real Chromium (Debian's /usr/bin/chromium) driven by sync Playwright against `live_server`.

Browser tests are transactional: the live server runs in another thread and
must see committed rows, and the database is flushed after each test. So each
test loads the real plan itself (`loaded_plan_db`) and creates its own users.

`playwright install` cannot download on this machine; never call it.
"""

import os

import pytest
from django.core.management import call_command
from django.db import connections

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "Pass-word-123"  # tests.factories.UserFactory
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture(scope="session")
def _allow_orm_beside_playwright():
    """Sync Playwright keeps an asyncio loop running in the main thread, so Django's
    ORM would raise SynchronousOnlyOperation in the test body. Allowed for browser
    tests only (set when the first of them starts)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="session")
def browser(_allow_orm_beside_playwright):
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"{CHROMIUM} missing: run `make browser` (apt-get install chromium fonts-noto-cjk)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def loaded_plan_db(_allow_orm_beside_playwright, transactional_db, live_server):
    """The real 2018 plan in a database the live server can see; connections closed after."""
    call_command("load_plan", verbosity=0)
    yield
    # Otherwise PostgreSQL refuses to flush/drop the test database ("being accessed by other users").
    connections.close_all()


@pytest.fixture
def new_context(browser, live_server):
    """Factory of isolated browser sessions (one per user), closed at the end of the test."""
    contexts = []

    def make(**options):
        options.setdefault("viewport", DESKTOP)
        context = browser.new_context(base_url=live_server.url, locale="zh-CN", **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


def login(page, user, password=PASSWORD):
    """Log in through the real login form; lands on the workbench."""
    page.goto("/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return page


def csrf_post(page, url, form=None):
    """A forged POST from a logged-in page: session cookie plus a valid CSRF token.

    Only the server's permission check stands between it and the data.
    """
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    return page.request.post(url, form=form or {}, headers={"X-CSRFToken": token}, max_redirects=0)
