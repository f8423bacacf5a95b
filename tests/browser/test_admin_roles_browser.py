"""In real Chromium: a coordinator's user form in the admin has no field that grants rights,
the pages break no rule of the Content-Security-Policy, and the login page leads to a reset."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from accounts.models import UserRole
from accounts.services import account_create
from departments.models import Department
from tests.browser.conftest import DESKTOP, PHONE, login
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "hardening"
COORDINATOR_PASSWORD = "Xie-Tiao-Yuan-2019"
PRIVILEGE_FIELDS = (
    "[name=is_superuser]",
    "[name=is_staff]",
    "[name=groups]",
    "[name=user_permissions]",
)


@pytest.fixture
def accounts(loaded_plan_db):
    bureau = Department.objects.get(short_name="市民政局")
    coordinator = account_create(
        username="minzheng_coord",
        department=bureau,
        role=UserRole.COORDINATOR,
        password=COORDINATOR_PASSWORD,
    )
    superuser = UserFactory(
        username="root_admin",
        is_superuser=True,
        is_staff=True,
        role=UserRole.COORDINATOR,
        department=bureau,
    )
    clerk = UserFactory(
        username="bianban_clerk", department=Department.objects.get(short_name="市编办")
    )
    return {"coordinator": coordinator, "superuser": superuser, "clerk": clerk}


def csp_violations(page) -> list[str]:
    messages: list[str] = []
    page.on(
        "console",
        lambda m: messages.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return messages


def shot(page, name):
    if os.environ.get("KEEP_SCREENSHOTS"):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / name), full_page=True)


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_coordinator_user_form_offers_no_rights_and_no_coordinator_role(
    accounts, new_context, viewport
):
    context = new_context(**(PHONE if viewport == "phone" else {"viewport": DESKTOP}))
    page = context.new_page()
    violations = csp_violations(page)
    login(page, accounts["coordinator"], COORDINATOR_PASSWORD)

    page.goto(f"/admin/accounts/user/{accounts['clerk'].pk}/change/")

    expect(page.locator("#id_username")).to_have_value("bianban_clerk")
    for selector in PRIVILEGE_FIELDS:
        expect(page.locator(selector)).to_have_count(0)
    expect(page.get_by_text("超级用户状态")).to_have_count(0)
    roles = page.locator("#id_role option").all_inner_texts()
    assert "协调员" not in roles and "经办人" in roles
    expect(page.get_by_role("link", name="生成重置密码链接")).to_be_visible()
    shot(page, f"coordinator-user-form-{viewport}.png")
    # The superuser's account is not there for the coordinator at all.
    page.goto(f"/admin/accounts/user/{accounts['superuser'].pk}/password/")
    expect(page.locator("body")).not_to_contain_text("root_admin")
    assert violations == []


def test_superuser_user_form_keeps_the_rights_fields(accounts, new_context):
    page = new_context().new_page()
    violations = csp_violations(page)
    login(page, accounts["superuser"])

    page.goto(f"/admin/accounts/user/{accounts['clerk'].pk}/change/")

    for selector in PRIVILEGE_FIELDS:
        expect(page.locator(selector)).to_have_count(1)
    assert violations == []


def test_login_page_leads_to_both_ways_of_resetting_a_password(accounts, new_context):
    page = new_context(**PHONE).new_page()
    violations = csp_violations(page)

    page.goto("/accounts/login/")
    page.get_by_role("link", name="忘记密码").click()

    expect(page.get_by_test_id("reset-by-link")).to_contain_text("一次性重置密码链接")
    shot(page, "forgot-password-phone.png")
    assert violations == []


def test_workbench_and_api_docs_break_no_csp_rule(accounts, new_context):
    page = new_context().new_page()
    violations = csp_violations(page)
    login(page, accounts["clerk"])

    page.goto("/")
    page.goto("/api/docs/")
    expect(page.locator(".swagger-ui .info")).to_be_visible(timeout=15_000)
    shot(page, "api-docs-desktop.png")

    assert violations == []
