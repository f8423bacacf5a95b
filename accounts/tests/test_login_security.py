import logging
import time
from datetime import timedelta
from http import HTTPStatus

import pytest
from axes.models import AccessAttempt
from django.conf import settings

from accounts.middleware import SESSION_SEEN, SESSION_STARTED
from tests.factories import UserFactory

PASSWORD = "Pass-word-123"


def _login(client, username, password, address="10.0.0.1"):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


@pytest.mark.django_db
def test_correct_password_logs_in_and_is_logged(client, caplog):
    user = UserFactory()
    with caplog.at_level(logging.INFO, logger="yangquan.security"):
        response = _login(client, user.username, PASSWORD)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/"
    assert f"login user={user.username}" in caplog.text


@pytest.mark.django_db
def test_failed_login_shows_error_and_is_logged(client, caplog):
    user = UserFactory()
    with caplog.at_level(logging.INFO, logger="yangquan.security"):
        response = _login(client, user.username, "wrong")
    assert response.status_code == HTTPStatus.OK
    assert "请输入一个正确的" in response.content.decode()
    assert f"login failed user={user.username}" in caplog.text


@pytest.mark.django_db
def test_repeated_failures_lock_the_username_from_that_address_only(client):
    user = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, user.username, "wrong")
    locked = _login(client, user.username, PASSWORD)
    assert locked.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "暂时锁定" in locked.content.decode()
    # Somebody else's failures cannot lock the owner out from their own desk.
    assert (
        _login(client, user.username, PASSWORD, address="10.0.0.2").status_code == HTTPStatus.FOUND
    )


@pytest.mark.django_db
def test_lock_ends_after_the_cool_off(client):
    user = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, user.username, "wrong")
    assert _login(client, user.username, PASSWORD).status_code == HTTPStatus.TOO_MANY_REQUESTS
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.first().attempt_time
        - settings.AXES_COOLOFF_TIME
        - timedelta(minutes=1)
    )
    assert _login(client, user.username, PASSWORD).status_code == HTTPStatus.FOUND


@pytest.mark.django_db
def test_pages_require_login(client):
    response = client.get("/")
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_session_ends_after_a_working_day(client):
    client.force_login(UserFactory())
    assert client.get("/").status_code == HTTPStatus.OK
    session = client.session
    session[SESSION_STARTED] = time.time() - settings.SESSION_COOKIE_AGE - 60
    session.save()
    assert client.get("/").status_code == HTTPStatus.FOUND


@pytest.mark.django_db
def test_session_ends_after_idle_time_but_not_while_in_use(client):
    client.force_login(UserFactory())
    client.get("/")
    session = client.session
    session[SESSION_SEEN] = time.time() - settings.SESSION_IDLE_TIMEOUT + 120
    session.save()
    assert client.get("/").status_code == HTTPStatus.OK  # still within the idle limit
    session = client.session
    session[SESSION_SEEN] = time.time() - settings.SESSION_IDLE_TIMEOUT - 60
    session.save()
    assert client.get("/").status_code == HTTPStatus.FOUND


@pytest.mark.django_db
def test_password_change_applies_django_validators(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == HTTPStatus.OK
    assert "is-invalid" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@pytest.mark.django_db
def test_refused_writes_are_logged_from_the_api_and_the_pages(client, api_client, caplog):
    from departments.models import Department
    from tasks.models import Assignment

    outsider = UserFactory(department=Department.objects.get(short_name="市财政局"))
    assignment = Assignment.objects.get(task__code="三(一)2-1", department__short_name="市编办")
    api_client.force_authenticate(outsider)
    client.force_login(outsider)
    with caplog.at_level(logging.INFO, logger="yangquan.security"):
        api = api_client.post(
            "/api/v1/progress-reports/", {"assignment": assignment.pk, "percent": 10}, format="json"
        )
        page = client.post(
            f"/assignments/{assignment.pk}/", {"status": "in_progress", "percent": 10}
        )
    assert api.status_code == HTTPStatus.FORBIDDEN
    assert page.status_code == HTTPStatus.FORBIDDEN
    assert caplog.text.count(f"refused write user={outsider.username}") == 2


@pytest.mark.django_db
def test_a_coordinator_who_is_not_superuser_manages_accounts_and_periods_in_the_admin(client):
    from accounts.services import account_create
    from departments.models import Department

    coordinator = account_create(
        username="coord",
        department=Department.objects.get(short_name="市民政局"),
        role="coordinator",
        password=PASSWORD,
    )
    assert not coordinator.is_superuser
    client.force_login(coordinator)
    for url in [
        "/admin/accounts/user/",
        "/admin/accounts/user/add/",
        "/admin/accounts/user/import-csv/",
        "/admin/reports/reportingperiod/add/",
        "/admin/tasks/responsibility/",
        "/admin/reports/progressreport/",
    ]:
        assert client.get(url).status_code == HTTPStatus.OK, url
    # Reports are read-only in the admin, for coordinators too.
    assert client.get("/admin/reports/progressreport/add/").status_code == HTTPStatus.FORBIDDEN
