"""Writes of the integrations app: clients (create, rotate, revoke), idempotency records."""

import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import AccessToken, RefreshToken, get_application_model

from accounts.models import User, UserRole
from core.errors import ApplicationError, ConflictError, NotFoundError, PermissionDenied
from core.services import record_actor
from departments.models import Department

from .models import SCOPES, ApiClient, ExternalId, ExternalKind, IdempotencyRecord

security_log = logging.getLogger("yangquan.security")
Application = get_application_model()


def _scopes_text(scopes: list[str] | tuple[str, ...]) -> str:
    unknown = [s for s in scopes if s not in SCOPES]
    if unknown or not scopes:
        raise ApplicationError(f"权限范围只能是 read、write（收到：{', '.join(scopes) or '空'}）。")
    return " ".join(s for s in SCOPES if s in scopes)


@transaction.atomic
def api_client_create(
    *, department: Department, name: str, scopes: list[str] | tuple[str, ...] = SCOPES, by=None
) -> tuple[ApiClient, str]:
    """A client for one body, and its secret in clear (shown once; stored hashed)."""
    if department.is_collective:
        raise ApplicationError("对接系统必须属于一个具体单位，不能是集合称谓。")
    scope_text = _scopes_text(list(scopes))
    secret = generate_client_secret()
    application = Application(
        name=name[:255],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        client_secret=secret,
        hash_client_secret=True,
        skip_authorization=True,
    )
    application.full_clean(exclude=["user"])
    application.save()
    # The client's service account: a staff member of the body that cannot log in.
    user = User(
        username=f"api-{application.client_id[:24].lower()}",
        first_name=name[:150],
        department=department,
        role=UserRole.STAFF,
    )
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    record_actor(user, by, reason="对接系统服务账号")
    user.save()
    application.user = user
    application.save(update_fields=["user"])
    client = ApiClient(
        application=application, department=department, user=user, name=name, scopes=scope_text
    )
    client.full_clean()
    record_actor(client, by)
    client.save()
    security_log.warning(
        "api client created client_id=%s department=%s by=%s",
        application.client_id,
        department.short_name,
        getattr(by, "username", "") or "-",
    )
    return client, secret


def _tokens_drop(client: ApiClient) -> None:
    RefreshToken.objects.filter(application_id=client.application_id).delete()
    AccessToken.objects.filter(application_id=client.application_id).delete()


@transaction.atomic
def api_client_rotate(*, client: ApiClient, by=None) -> str:
    """A new secret (returned in clear, once); the old secret and its tokens stop now."""
    client = ApiClient.objects.select_for_update().select_related("application").get(pk=client.pk)
    if client.revoked_at:
        raise ApplicationError("该对接系统已停用，不能更换密钥。")
    secret = generate_client_secret()
    client.application.client_secret = secret
    client.application.save(update_fields=["client_secret", "updated"])
    _tokens_drop(client)
    client.rotated_at = timezone.now()
    record_actor(client, by, reason="更换密钥")
    client.save(update_fields=["rotated_at"])
    security_log.warning(
        "api client rotated client_id=%s by=%s",
        client.application.client_id,
        getattr(by, "username", "") or "-",
    )
    return secret


@transaction.atomic
def api_client_revoke(*, client: ApiClient, by=None) -> ApiClient:
    """Stop a client at once: its tokens are deleted, its secret no longer known, its
    service account inactive (the authentication refuses a revoked client's token too)."""
    client = (
        ApiClient.objects.select_for_update()
        .select_related("application", "user")
        .get(pk=client.pk)
    )
    if client.revoked_at:
        return client
    client.revoked_at = timezone.now()
    record_actor(client, by, reason="停用")
    client.save(update_fields=["revoked_at"])
    client.application.client_secret = secrets.token_urlsafe(48)  # nobody knows it
    client.application.save(update_fields=["client_secret", "updated"])
    _tokens_drop(client)
    client.user.is_active = False
    record_actor(client.user, by, reason="对接系统停用")
    client.user.save(update_fields=["is_active"])
    security_log.warning(
        "api client revoked client_id=%s by=%s",
        client.application.client_id,
        getattr(by, "username", "") or "-",
    )
    return client


def api_client_touch(*, client: ApiClient, now=None) -> None:
    """Record use, at most once a minute (one UPDATE that matches nothing otherwise)."""
    now = now or timezone.now()
    if client.last_used_at and (now - client.last_used_at).total_seconds() < 60:
        return
    ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
    client.last_used_at = now


def idempotency_records_expire(*, now=None) -> int:
    """Remove Idempotency-Key records older than IDEMPOTENCY_KEY_HOURS; how many went."""
    now = now or timezone.now()
    cutoff = now - timedelta(hours=settings.IDEMPOTENCY_KEY_HOURS)
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def _record_of(kind: str, object_id: int):
    from reports.models import ProgressReport

    if kind == ExternalKind.PROGRESS_REPORT:
        return ProgressReport.objects.select_related("assignment").filter(pk=object_id).first()
    return None


@transaction.atomic
def external_id_attach(
    *, client: ApiClient, kind: str, object_id: int, external_id: str
) -> ExternalId:
    """Name one of the client's body's records with the client's own id (unique per client)."""
    record = _record_of(kind, object_id)
    if record is None:
        raise NotFoundError()
    if record.assignment.department_id != client.department_id:
        raise PermissionDenied("只能为本单位的记录登记外部编号。")
    taken = ExternalId.objects.filter(client=client, external_id=external_id).first()
    if taken is not None:
        raise ConflictError(
            f"外部编号“{external_id}”已登记给 {taken.kind} {taken.object_id}。",
            extra={"kind": taken.kind, "id": taken.object_id},
        )
    if ExternalId.objects.filter(client=client, kind=kind, object_id=object_id).exists():
        raise ConflictError("该记录已有外部编号。")
    try:
        with transaction.atomic():
            return ExternalId.objects.create(
                client=client, kind=kind, object_id=object_id, external_id=external_id
            )
    except IntegrityError as error:
        raise ConflictError(f"外部编号“{external_id}”已被登记。") from error
