"""Webhooks to a real receiver on 127.0.0.1: signed, retried with a log, never to a name that
resolves to an internal address, only for the subscriber's own body."""

import hashlib
import hmac
import json
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from accounts.models import UserRole
from core import events
from core.models import OutboxEvent
from departments.models import Department
from integrations import webhooks
from integrations.models import DeliveryState, WebhookDelivery, WebhookHost
from integrations.tasks import webhooks_fan_out_task
from reports import services as report_services
from tests.factories import UserFactory

from .conftest import assignment_of

pytestmark = pytest.mark.django_db

WEBHOOKS = "/api/v1/webhooks/"


class Receiver:
    """An HTTP server in a thread that records each request and answers from a script."""

    def __init__(self, answers=()):
        self.requests: list[dict] = []
        self.answers = list(answers)
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append({"headers": dict(self.headers), "body": body})
                code = receiver.answers.pop(0) if receiver.answers else 200
                self.send_response(code)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(autouse=True)
def _eager_retries():
    """In-process jobs run their retries at once (countdowns skipped) instead of raising Retry."""
    from yangquan_tracker.celery import app

    previous = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = previous


@pytest.fixture
def receiver():
    with Receiver() as running:
        yield running


def _subscribe(api, url, kinds=("report.returned",)):
    response = api.post_json(WEBHOOKS, {"url": url, "events": list(kinds)})
    assert response.status_code == HTTPStatus.CREATED, response.content
    return response.json()


def _fan_out(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return webhooks_fan_out_task.delay().get()


def _returned_report(pingding):
    """A 平定县 report submitted by its system and returned by the bureau (the real services)."""
    coordinator = UserFactory(
        username="mzj_coordinator",
        role=UserRole.COORDINATOR,
        department=Department.objects.get(short_name="市民政局"),
    )
    user = pingding.client.user
    report = report_services.report_create(
        assignment=assignment_of(pingding.department),
        by=user,
        status="in_progress",
        percent=10,
        progress="已部署",
    )
    report = report_services.report_submit(report=report, by=user, version=report.version)
    return report_services.report_return(
        report=report, by=coordinator, reason="请补充佐证材料", version=report.version
    )


def test_returned_report_is_delivered_signed_to_the_bodys_system(
    pingding_api, pingding, receiver, django_capture_on_commit_callbacks
):
    WebhookHost.objects.create(host="127.0.0.1")
    subscription = _subscribe(pingding_api, f"http://127.0.0.1:{receiver.port}/hook?x=1")
    report = _returned_report(pingding)

    assert _fan_out(django_capture_on_commit_callbacks) == 1
    assert len(receiver.requests) == 1
    request = receiver.requests[0]
    headers, body = request["headers"], request["body"]
    expected = hmac.new(
        subscription["secret"].encode(),
        headers["X-Yangquan-Timestamp"].encode() + b"." + body,
        hashlib.sha256,
    ).hexdigest()
    assert headers["X-Yangquan-Signature"] == f"sha256={expected}"
    assert headers["X-Yangquan-Event"] == "report.returned"
    event = json.loads(body)
    assert event["event"] == "report.returned"
    assert event["data"]["report"] == report.pk
    assert event["data"]["return_reason"] == "请补充佐证材料"
    delivery = WebhookDelivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.last_status_code) == ("delivered", 1, 200)
    # A second run finds nothing new: delivered once.
    assert _fan_out(django_capture_on_commit_callbacks) == 0
    assert len(receiver.requests) == 1


def test_delivery_is_retried_after_two_failures_and_logged(
    pingding_api, pingding, django_capture_on_commit_callbacks
):
    WebhookHost.objects.create(host="127.0.0.1")
    with Receiver(answers=[500, 503, 200]) as flaky:
        subscription = _subscribe(pingding_api, f"http://127.0.0.1:{flaky.port}/hook")
        events.event_record(
            kind=events.REPORT_RETURNED, department_ids=[pingding.department.pk], payload={}
        )
        _fan_out(django_capture_on_commit_callbacks)
        assert len(flaky.requests) == 3
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == DeliveryState.DELIVERED and delivery.attempts == 3
    assert [a.status_code for a in delivery.log.order_by("number")] == [500, 503, 200]
    log = pingding_api.get(f"{WEBHOOKS}{subscription['id']}/deliveries/").json()
    assert [a["status_code"] for a in log["results"][0]["log"]] == [500, 503, 200]


def test_backoff_grows_and_stops_at_an_hour():
    assert [webhooks.backoff_seconds(n) for n in (1, 2, 3)] == [30, 60, 120]
    assert webhooks.backoff_seconds(20) == 3600


def test_a_name_resolving_to_127_0_0_1_is_never_contacted(
    pingding_api, pingding, receiver, django_capture_on_commit_callbacks
):
    # `localhost` is allowed as a name, but the address it resolves to is not on the list.
    WebhookHost.objects.create(host="localhost")
    _subscribe(pingding_api, f"http://localhost:{receiver.port}/hook")
    events.event_record(
        kind=events.REPORT_RETURNED, department_ids=[pingding.department.pk], payload={}
    )
    _fan_out(django_capture_on_commit_callbacks)
    assert receiver.requests == []
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == DeliveryState.REFUSED
    assert "127.0.0.1" in delivery.last_error


def test_a_host_not_on_the_allow_list_cannot_be_registered(pingding_api, receiver):
    WebhookHost.objects.create(host="127.0.0.1")
    response = pingding_api.post_json(
        WEBHOOKS, {"url": f"http://localhost:{receiver.port}/", "events": ["report.returned"]}
    )
    assert response.status_code == HTTPStatus.CONFLICT
    ftp = pingding_api.post_json(
        WEBHOOKS, {"url": "ftp://127.0.0.1/", "events": ["reminder.created"]}
    )
    assert ftp.status_code == HTTPStatus.BAD_REQUEST


def test_private_address_resolved_from_an_allowed_name_is_refused(monkeypatch):
    WebhookHost.objects.create(host="zw.pingding.example")
    monkeypatch.setattr(webhooks, "resolve", lambda host, port: ["93.184.216.34", "10.0.0.5"])
    with pytest.raises(webhooks.WebhookRefused):
        webhooks.target_of("https://zw.pingding.example/hook")
    monkeypatch.setattr(webhooks, "resolve", lambda host, port: ["169.254.169.254"])
    with pytest.raises(webhooks.WebhookRefused):
        webhooks.target_of("https://zw.pingding.example/hook")
    monkeypatch.setattr(webhooks, "resolve", lambda host, port: ["93.184.216.34"])
    target = webhooks.target_of("https://zw.pingding.example/hook")
    # The connection goes to the address that was checked; the name stays for Host and TLS.
    assert (target.address, target.host, target.port) == (
        "93.184.216.34",
        "zw.pingding.example",
        443,
    )


def test_only_the_subscribers_body_and_kinds_are_delivered(
    pingding_api, yuxian_api, pingding, yuxian, receiver, django_capture_on_commit_callbacks
):
    WebhookHost.objects.create(host="127.0.0.1")
    _subscribe(pingding_api, f"http://127.0.0.1:{receiver.port}/pd", ["reminder.created"])
    events.event_record(
        kind=events.REMINDER_CREATED, department_ids=[yuxian.department.pk], payload={}
    )
    events.event_record(
        kind=events.REPORT_APPROVED, department_ids=[pingding.department.pk], payload={}
    )
    mine = events.event_record(
        kind=events.REMINDER_CREATED, department_ids=[pingding.department.pk], payload={"r": 1}
    )
    _fan_out(django_capture_on_commit_callbacks)
    assert [json.loads(r["body"])["id"] for r in receiver.requests] == [mine.pk]


def test_people_cannot_register_webhooks_and_systems_see_only_theirs(
    pingding_api, yuxian_api, pingding
):
    from django.test import Client
    from rest_framework.authtoken.models import Token

    WebhookHost.objects.create(host="127.0.0.1")
    person = UserFactory(username="pd_w", role=UserRole.STAFF, department=pingding.department)
    client = Client(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=person).key}")
    refused = client.post(
        WEBHOOKS,
        {"url": "http://127.0.0.1:9/", "events": ["report.returned"]},
        content_type="application/json",
    )
    assert refused.status_code == HTTPStatus.FORBIDDEN
    mine = _subscribe(pingding_api, "http://127.0.0.1:9/")
    assert "secret" not in pingding_api.get(f"{WEBHOOKS}{mine['id']}/").json()
    assert yuxian_api.get(WEBHOOKS).json()["count"] == 0
    assert yuxian_api.get(f"{WEBHOOKS}{mine['id']}/").status_code == HTTPStatus.NOT_FOUND
    assert yuxian_api.delete(f"{WEBHOOKS}{mine['id']}/").status_code == HTTPStatus.NOT_FOUND
    assert pingding_api.delete(f"{WEBHOOKS}{mine['id']}/").status_code == HTTPStatus.NO_CONTENT
    assert pingding_api.get(f"{WEBHOOKS}{mine['id']}/").json()["is_active"] is False


def test_services_record_the_events_they_cause(pingding):
    report = _returned_report(pingding)
    event = OutboxEvent.objects.get(kind="report.returned")
    assert event.department_ids == [pingding.department.pk]
    assert event.payload["report"] == report.pk


@pytest.mark.parametrize("url", ["https://[::1", "http://127.0.0.1:99999/", "https://"])
def test_a_malformed_url_is_refused_not_a_500(pingding_api, url):
    WebhookHost.objects.create(host="127.0.0.1")
    response = pingding_api.post_json(WEBHOOKS, {"url": url, "events": ["report.returned"]})
    assert response.status_code in (HTTPStatus.BAD_REQUEST, HTTPStatus.CONFLICT)
