"""Webhooks: events from the outbox (core.events) to the URLs county systems registered.

- **Fan-out** (`webhooks_fan_out`, a Celery job every minute): reads the outbox past its
  cursor and makes one delivery per (subscription, event) for subscriptions whose body is
  concerned and that asked for that kind. The unique constraint makes a second run a no-op.
- **Delivery** (`webhook_attempt`, one try; the job retries with backoff): the URL must be
  http(s) on a host a coordinator allowed (WebhookHost). The name is resolved *once*, every
  address is checked (no loopback, link-local, private, reserved or multicast address unless
  the allow-list names that very address), and the connection goes to the checked address
  (the Host header and TLS name stay the URL's), so a name cannot be re-pointed between the
  check and the connection. Redirects are not followed.
- **Signature**: `X-Yangquan-Signature: sha256=<hex>` where hex = HMAC-SHA256(secret,
  "<X-Yangquan-Timestamp>.<body>"); the timestamp is Unix seconds. A receiver recomputes it
  and refuses timestamps older than a few minutes (replays).
"""

import hashlib
import hmac
import http.client
import ipaddress
import json
import logging
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone

from core.models import OutboxEvent

from .models import (
    DeliveryState,
    OutboxCursor,
    WebhookAttempt,
    WebhookDelivery,
    WebhookHost,
    WebhookSubscription,
)

log = logging.getLogger("yangquan.webhooks")

CURSOR = "webhooks"
TIMEOUT_SECONDS = 5
MAX_ATTEMPTS = 6
FAN_OUT_BATCH = 500


class WebhookRefused(Exception):
    """The URL may not be contacted (never retried)."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    address: str
    path: str


def _forbidden(ip) -> bool:
    return (
        ip.is_loopback
        or ip.is_link_local
        or ip.is_private
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
    )


def resolve(host: str, port: int) -> list[str]:
    """Every address the name resolves to (a seam for tests)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({info[4][0] for info in infos})


def _split(url: str):
    """urlsplit, with its port read: a malformed URL (bad IPv6 literal, port) is refused."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises ValueError when out of range)
    except ValueError as error:
        raise WebhookRefused(f"回调地址格式有误：{error}") from error
    return parts


def url_check(url: str) -> None:
    """Refuse, at registration, a URL that could never be delivered to (scheme, host)."""
    parts = _split(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise WebhookRefused("只能使用 http 或 https 地址。")
    if parts.username or parts.password:
        raise WebhookRefused("回调地址中不能含用户名或密码。")
    if not WebhookHost.objects.filter(host=parts.hostname.lower().rstrip(".")).exists():
        raise WebhookRefused(f"主机 {parts.hostname} 不在允许的回调主机名单中，请联系市民政局。")


def target_of(url: str) -> Target:
    """Resolve → check every address → the one to connect to (WebhookRefused otherwise)."""
    url_check(url)
    parts = _split(url)
    host = parts.hostname.lower().rstrip(".")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    try:
        addresses = [str(literal)] if literal else resolve(host, port)
    except OSError as error:
        raise WebhookRefused(f"无法解析主机名 {host}：{error}") from error
    if not addresses:
        raise WebhookRefused(f"无法解析主机名 {host}")
    for address in addresses:
        ip = ipaddress.ip_address(address)
        # A private address only when the allow-list names that address itself.
        if _forbidden(ip) and not (literal is not None and ip == literal):
            raise WebhookRefused(f"{host} 解析为内部地址 {address}，不允许回调。")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Target(scheme=parts.scheme, host=host, port=port, address=addresses[0], path=path)


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to a checked address, verifying the certificate for the URL's host name."""

    def __init__(self, address: str, host: str, port: int, **kwargs):
        super().__init__(host, port, context=ssl.create_default_context(), **kwargs)
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _connection(target: Target):
    if target.scheme == "https":
        return _PinnedHTTPSConnection(
            target.address, target.host, target.port, timeout=TIMEOUT_SECONDS
        )
    return http.client.HTTPConnection(target.address, target.port, timeout=TIMEOUT_SECONDS)


def payload_of(delivery: WebhookDelivery) -> bytes:
    event = delivery.event
    return json.dumps(
        {
            "id": event.pk,
            "delivery": delivery.pk,
            "event": event.kind,
            "created_at": event.created_at.isoformat(),
            "data": event.payload,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()


def post(target: Target, *, body: bytes, headers: dict) -> int:
    connection = _connection(target)
    try:
        host_header = target.host if target.port in (80, 443) else f"{target.host}:{target.port}"
        connection.request("POST", target.path, body=body, headers={"Host": host_header, **headers})
        response = connection.getresponse()
        response.read(65536)
        return response.status
    finally:
        connection.close()


def webhook_attempt(*, delivery_id: int) -> WebhookDelivery:
    """One try of a delivery, logged. The caller retries while the state stays pending."""
    delivery = WebhookDelivery.objects.select_related("subscription", "event").get(pk=delivery_id)
    if delivery.state != DeliveryState.PENDING:
        return delivery
    subscription = delivery.subscription
    number = delivery.attempts + 1
    attempt = WebhookAttempt(delivery=delivery, number=number)
    started = time.monotonic()
    if not subscription.is_active or subscription.client.revoked_at is not None:
        attempt.error = "订阅已停用"
        delivery.state = DeliveryState.FAILED
    else:
        try:
            target = target_of(subscription.url)
        except WebhookRefused as refused:
            attempt.error = str(refused)[:300]
            delivery.state = DeliveryState.REFUSED
        else:
            attempt.address = target.address
            body = payload_of(delivery)
            timestamp = str(int(time.time()))
            headers = {
                "Content-Type": "application/json; charset=utf-8",
                "User-Agent": "yangquan-tracker-webhooks/1",
                "X-Yangquan-Event": delivery.event.kind,
                "X-Yangquan-Delivery": str(delivery.pk),
                "X-Yangquan-Timestamp": timestamp,
                "X-Yangquan-Signature": signature(subscription.secret, timestamp, body),
            }
            try:
                attempt.status_code = post(target, body=body, headers=headers)
            except (OSError, http.client.HTTPException) as error:
                attempt.error = f"{type(error).__name__}: {error}"[:300]
            if attempt.status_code and 200 <= attempt.status_code < 300:
                delivery.state = DeliveryState.DELIVERED
                delivery.delivered_at = timezone.now()
            elif number >= MAX_ATTEMPTS:
                delivery.state = DeliveryState.FAILED
    attempt.duration_ms = int((time.monotonic() - started) * 1000)
    delivery.attempts = number
    delivery.last_status_code = attempt.status_code
    delivery.last_error = attempt.error
    with transaction.atomic():
        attempt.save()
        delivery.save()
    log.info(
        "webhook delivery=%s attempt=%s status=%s state=%s error=%s",
        delivery.pk,
        number,
        attempt.status_code,
        delivery.state,
        attempt.error,
    )
    return delivery


def backoff_seconds(attempts: int) -> int:
    """30 s, 1 min, 2 min, 4 min, 8 min… at most an hour."""
    return min(30 * 2 ** max(attempts - 1, 0), 3600)


@transaction.atomic
def webhooks_fan_out() -> list[int]:
    """New deliveries for the outbox events past the cursor; their ids (to be sent)."""
    cursor, _ = OutboxCursor.objects.get_or_create(name=CURSOR)
    cursor = OutboxCursor.objects.select_for_update().get(pk=cursor.pk)
    events = list(
        OutboxEvent.objects.filter(pk__gt=cursor.last_event_id).order_by("pk")[:FAN_OUT_BATCH]
    )
    if not events:
        return []
    subscriptions = list(
        WebhookSubscription.objects.filter(
            is_active=True, client__revoked_at__isnull=True
        ).select_related("client")
    )
    deliveries = [
        WebhookDelivery(subscription=subscription, event=event)
        for event in events
        for subscription in subscriptions
        if event.kind in subscription.events
        and subscription.client.department_id in event.department_ids
        and subscription.created_at <= event.created_at
    ]
    WebhookDelivery.objects.bulk_create(deliveries, ignore_conflicts=True)
    cursor.last_event_id = events[-1].pk
    cursor.save(update_fields=["last_event_id"])
    return list(
        WebhookDelivery.objects.filter(
            event_id__in=[e.pk for e in events], state=DeliveryState.PENDING
        ).values_list("pk", flat=True)
    )
