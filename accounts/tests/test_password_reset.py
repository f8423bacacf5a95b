"""Password reset on an intranet: a coordinator's one-time link, or e-mail where mail is set up."""

import logging
from http import HTTPStatus

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import UserRole
from accounts.services import account_create, password_reset_link_issue
from core.errors import PermissionDenied
from departments.models import Department
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Xin-De-Mima-2024"


@pytest.fixture
def coordinator():
    return account_create(
        username="minzheng_coord",
        department=Department.objects.get(short_name="市民政局"),
        role=UserRole.COORDINATOR,
        password="Xie-Tiao-Yuan-2019",
    )


@pytest.fixture
def clerk():
    return UserFactory(
        username="bianban_clerk",
        email="clerk@bianban.example",
        department=Department.objects.get(short_name="市编办"),
    )


def set_password_through(client, link: str):
    """Open the link as the person would, then post the new password on the page it leads to."""
    page = client.get(link, follow=True)
    assert page.context["validlink"], "the link should be valid"
    form_url = page.redirect_chain[-1][0]
    return client.post(
        form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True
    )


def test_coordinator_link_lets_the_person_set_a_password_once(client, coordinator, clerk, caplog):
    with caplog.at_level(logging.WARNING, logger="yangquan.security"):
        link = password_reset_link_issue(user=clerk, by=coordinator)

    done = set_password_through(client, link)

    assert "密码已重置" in done.content.decode()
    clerk.refresh_from_db()
    assert clerk.check_password(NEW_PASSWORD)
    assert "password reset link issued user=bianban_clerk by=minzheng_coord" in caplog.text
    again = client.get(link, follow=True)
    assert not again.context["validlink"]
    assert 'data-testid="invalid-link"' in again.content.decode()


@pytest.mark.parametrize("target", ["superuser", "coordinator"])
def test_coordinator_cannot_issue_a_link_for_admin_accounts(coordinator, target):
    bureau = Department.objects.get(short_name="市民政局")
    user = (
        UserFactory(username="root", is_superuser=True, is_staff=True, department=bureau)
        if target == "superuser"
        else account_create(
            username="coord2",
            department=bureau,
            role=UserRole.COORDINATOR,
            password="Xie-2020-abcd",
        )
    )

    with pytest.raises(PermissionDenied):
        password_reset_link_issue(user=user, by=coordinator)


def test_not_even_a_superuser_issues_a_link_for_a_superuser():
    bureau = Department.objects.get(short_name="市民政局")
    root = UserFactory(username="root", is_superuser=True, is_staff=True, department=bureau)
    other = UserFactory(username="root2", is_superuser=True, is_staff=True, department=bureau)

    with pytest.raises(PermissionDenied):
        password_reset_link_issue(user=other, by=root)


def test_staff_cannot_issue_links(clerk):
    colleague = UserFactory(department=clerk.department)

    with pytest.raises(PermissionDenied):
        password_reset_link_issue(user=colleague, by=clerk)


def test_admin_button_issues_the_link_on_the_user_page(client, coordinator, clerk):
    client.force_login(coordinator)
    change = client.get(reverse("admin:accounts_user_change", args=[clerk.pk]))
    reset_url = reverse("admin:accounts_user_reset_link", args=[clerk.pk])
    assert reset_url in change.content.decode()

    issued = client.post(reset_url)

    assert issued.status_code == HTTPStatus.OK
    link = issued.context["link"]
    assert "/accounts/reset/" in link
    client.logout()
    set_password_through(client, link.split("testserver", 1)[1])
    clerk.refresh_from_db()
    assert clerk.check_password(NEW_PASSWORD)


def test_forgot_password_page_explains_the_coordinator_link_when_mail_is_off(client, settings):
    settings.PASSWORD_RESET_BY_EMAIL = False

    login = client.get(reverse("login")).content.decode()
    page = client.get(reverse("password_reset"))
    posted = client.post(reverse("password_reset"), {"email": "clerk@bianban.example"})

    assert reverse("password_reset") in login and "忘记密码" in login
    html = page.content.decode()
    assert 'data-testid="reset-by-link"' in html
    assert 'data-testid="reset-by-email"' not in html
    assert posted.status_code == HTTPStatus.OK
    assert mail.outbox == []


def test_reset_by_email_sends_a_working_link_when_mail_is_configured(client, settings, clerk):
    settings.PASSWORD_RESET_BY_EMAIL = True

    response = client.post(reverse("password_reset"), {"email": "clerk@bianban.example"})

    assert response.status_code == HTTPStatus.FOUND
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "重置" in mail.outbox[0].subject
    link = next(line for line in body.splitlines() if "/accounts/reset/" in line)
    set_password_through(client, link.split("testserver", 1)[1])
    clerk.refresh_from_db()
    assert clerk.check_password(NEW_PASSWORD)


def test_a_failing_mail_server_is_logged_not_a_500(client, settings, clerk, monkeypatch, caplog):
    settings.PASSWORD_RESET_BY_EMAIL = True

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)

    response = client.post(reverse("password_reset"), {"email": "clerk@bianban.example"})

    # The same "sent" page as always: it must not tell whether the address exists.
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("password_reset_done")
    failure = next(r for r in caplog.records if r.name == "django.contrib.auth")
    assert failure.levelname == "ERROR" and failure.exc_info
