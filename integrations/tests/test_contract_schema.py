"""The published contract: the client-credentials scheme, the headers county systems use,
an example on every write; list query counts independent of length."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import events
from integrations.models import WebhookDelivery, WebhookHost, WebhookSubscription

pytestmark = pytest.mark.django_db

WRITE_METHODS = ("post", "put", "patch")


@pytest.fixture
def schema(pingding_api):
    response = pingding_api.get("/api/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def _operations(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if isinstance(operation, dict) and "responses" in operation:
                yield path, method, operation


def test_schema_offers_the_client_credentials_flow_with_its_token_url(schema):
    scheme = schema["components"]["securitySchemes"]["countyClient"]
    flow = scheme["flows"]["clientCredentials"]
    assert scheme["type"] == "oauth2"
    assert flow["tokenUrl"] == "/o/token/"
    assert set(flow["scopes"]) == {"read", "write"}
    create = schema["paths"]["/api/v1/progress-reports/"]["post"]
    assert {"countyClient": ["write"]} in create["security"]


def test_every_json_write_has_an_example(schema):
    missing = [
        f"{method.upper()} {path}"
        for path, method, operation in _operations(schema)
        if method in WRITE_METHODS
        and "application/json" in operation.get("requestBody", {}).get("content", {})
        and not operation["requestBody"]["content"]["application/json"].get("examples")
    ]
    assert missing == []


def test_posts_take_an_idempotency_key_and_report_changes_if_match(schema):
    for path, method, operation in _operations(schema):
        names = {p["name"] for p in operation.get("parameters", [])}
        if method == "post" and path.startswith("/api/v1/"):
            assert "Idempotency-Key" in names, path
            assert "422" in operation["responses"], path
        if method in ("put", "patch") and path.startswith("/api/v1/progress-reports/"):
            assert "If-Match" in names
            assert {"412", "428"} <= set(operation["responses"])
        if path.startswith("/api/v1/"):
            assert "429" in operation["responses"], (method, path)


def _deliveries(subscription, n):
    WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            subscription=subscription,
            event=events.event_record(
                kind=events.REMINDER_CREATED,
                department_ids=[subscription.client.department_id],
                payload={},
            ),
        )
        for _ in range(n)
    )


def _count(api, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = api.get(url)
    assert response.status_code == 200, response.content
    return len(queries)


def test_delivery_log_and_sync_lists_query_counts_do_not_grow_with_length(pingding_api, pingding):
    WebhookHost.objects.create(host="127.0.0.1")
    subscription = WebhookSubscription.objects.create(
        client=pingding.client, url="http://127.0.0.1:9/", events=["reminder.created"], secret="x"
    )
    deliveries = f"/api/v1/webhooks/{subscription.pk}/deliveries/?page_size=200"
    pingding_api.get("/api/v1/")  # the client's first use is recorded once (an UPDATE)
    _deliveries(subscription, 3)
    small = _count(pingding_api, deliveries)
    _deliveries(subscription, 40)
    large = _count(pingding_api, deliveries)
    assert small == large

    since = "updated_since=2000-01-01T00:00:00Z"
    lists = [
        f"/api/v1/assignments/?page_size=5&{since}",
        f"/api/v1/progress-reports/?page_size=5&{since}",
        f"/api/v1/checklist-lines/?page_size=5&{since}",
        f"/api/v1/tasks/?page_size=5&{since}",
        "/api/v1/webhooks/?page_size=5",
    ]
    for url in lists:
        few = _count(pingding_api, url)
        many = _count(pingding_api, url.replace("page_size=5", "page_size=200"))
        assert few == many, url
