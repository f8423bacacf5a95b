"""The inbox: a message reaches each person once per event, shows on the home page and in the
header, and opening it marks it read and follows its link."""

from http import HTTPStatus

import pytest
from django.core import mail
from django.test import Client

from accounts.models import UserRole
from notifications.models import Notification
from notifications.services import notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(db):
    return UserFactory(role=UserRole.STAFF, email="wang@example.gov.cn")


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_a_message_reaches_each_person_once_per_event(person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = notify(
            recipients=[person], kind="reminder", title="催办：请报送", key="k1", url="/"
        )
        again = notify(
            recipients=[person], kind="reminder", title="催办：请报送", key="k1", url="/"
        )
    assert (len(first), len(again)) == (1, 0)
    assert Notification.objects.filter(recipient=person).count() == 1
    assert len(mail.outbox) == 1 and "催办" in mail.outbox[0].subject


def test_the_home_page_and_header_show_unread_messages_and_opening_one_reads_it(person):
    notify(
        recipients=[person], kind="returned", title="填报被退回：三(一)2-1", key="k2", url="/plan/"
    )
    client = _client(person)

    home = client.get("/").content.decode()
    assert 'data-testid="home-inbox"' in home and "填报被退回" in home
    assert 'data-testid="unread-count">1<' in home

    notification = Notification.objects.get()
    opened = client.post(f"/notifications/{notification.pk}/open/")
    assert opened.status_code == HTTPStatus.FOUND and opened["Location"] == "/plan/"
    notification.refresh_from_db()
    assert notification.is_read
    assert 'data-testid="home-inbox"' not in client.get("/").content.decode()


def test_nobody_opens_another_persons_message(person):
    notify(recipients=[person], kind="other", title="私人", key="k3")
    other = UserFactory(role=UserRole.STAFF)
    notification = Notification.objects.get()

    response = _client(other).post(f"/notifications/{notification.pk}/open/")

    assert response.status_code == HTTPStatus.NOT_FOUND
    notification.refresh_from_db()
    assert not notification.is_read


def test_an_outside_link_is_not_followed(person):
    notify(recipients=[person], kind="other", title="外链", key="k4", url="https://evil.example/")
    notification = Notification.objects.get()
    response = _client(person).post(f"/notifications/{notification.pk}/open/")
    assert response["Location"] == "/notifications/"
