"""Idempotency-Key on API POSTs: a repeated request returns the first answer, creates nothing.

For a POST under /api/ with an `Idempotency-Key` header (1–255 visible ASCII characters):

1. the caller is identified the way the API identifies it (DRF's authentication
   classes: a person's token or session, a county system's bearer token); an
   anonymous or refused caller goes on to the view, which refuses it;
2. a record (caller, key, hash of method + path + body) is inserted *first*, in its own
   transaction: two requests arriving together meet at the unique constraint, and only
   the one that inserted goes on to the view;
3. the view's answer is stored on the record (status, JSON body, Location/ETag);
   5xx, 401 and 429 answers are not kept (the record is removed, a retry runs again).

A later request with the same caller and key: same hash → the stored answer again
(`Idempotent-Replayed: true`), nothing runs; another hash → 422; the first still
running → 409 with Retry-After. Keys expire after IDEMPOTENCY_KEY_HOURS (24 h; an hourly
job removes them). Uploads (multipart) are covered up to DATA_UPLOAD_MAX_MEMORY_SIZE
(2 MB; the body is hashed without its boundary); a key on a larger upload is a 400, so
that nobody believes it is safe to repeat.
"""

import hashlib
import json
import re
from datetime import timedelta

from django.conf import settings
from django.db import DataError, IntegrityError, transaction
from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.settings import api_settings

from core.api import API_PREFIX, error_body

from .models import IdempotencyRecord

HEADER = "Idempotency-Key"
KEY_PATTERN = re.compile(r"^[\x21-\x7e]{1,255}$")
KEPT_HEADERS = ("Location", "ETag")
NOT_KEPT = {401, 429}


def _error(status: int, message: str, **headers) -> JsonResponse:
    response = JsonResponse(error_body(status_code=status, detail=message), status=status)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _caller(request):
    """Who sends this request, as the API will decide it (None: nobody, or refused)."""
    drf_request = Request(
        request,
        parsers=[cls() for cls in api_settings.DEFAULT_PARSER_CLASSES],
        authenticators=[cls() for cls in api_settings.DEFAULT_AUTHENTICATION_CLASSES],
    )
    try:
        user = drf_request.user
    except exceptions.APIException:
        return None
    return user if user is not None and user.is_authenticated else None


def _content_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def request_hash(request) -> str:
    """Method, path, query and body; a multipart body without its (random) boundary, so that
    the same upload sent again by a new client library call hashes the same."""
    digest = hashlib.sha256()
    for part in (request.method, request.path, request.META.get("QUERY_STRING", "")):
        digest.update(part.encode())
        digest.update(b"\0")
    body = request.body
    boundary = request.content_params.get("boundary")
    if request.content_type == "multipart/form-data" and boundary:
        body = body.replace(boundary.encode("latin-1", "replace"), b"")
    digest.update(body)
    return digest.hexdigest()


def _expired_before():
    return timezone.now() - timedelta(hours=settings.IDEMPOTENCY_KEY_HOURS)


def _replay(record: IdempotencyRecord) -> JsonResponse:
    response = JsonResponse(record.response_body, status=record.status_code, safe=False)
    for name, value in record.response_headers.items():
        response[name] = value
    response["Idempotent-Replayed"] = "true"
    return response


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.headers.get(HEADER)
        if key is None or request.method != "POST" or not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        if not KEY_PATTERN.match(key):
            return _error(400, _("Idempotency-Key 应为1–255个可见ASCII字符。"))
        if request.content_type == "multipart/form-data" and _content_length(request) > (
            settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        ):
            return _error(
                400,
                _("超过2 MB的上传请求不支持 Idempotency-Key；请去掉该请求头，或先查询是否已上传。"),
            )
        try:
            # First: the body is then kept in memory for the authentication and the view.
            fingerprint = request_hash(request)
        except Exception:  # noqa: BLE001  (a body too large: the view answers 413)
            return self.get_response(request)
        user = _caller(request)
        if user is None:
            return self.get_response(request)

        record, created = self._claim(user, key, fingerprint, request)
        if not created:
            return self._answer_repeat(record, fingerprint)
        try:
            response = self.get_response(request)
        except BaseException:
            IdempotencyRecord.objects.filter(pk=record.pk).delete()
            raise
        self._keep(record, response)
        return response

    def _claim(self, user, key, fingerprint, request):
        # Keys past their lifetime are gone for this caller (the hourly job removes the rest).
        IdempotencyRecord.objects.filter(
            user=user, key=key, created_at__lt=_expired_before()
        ).delete()
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    user=user,
                    key=key,
                    method=request.method,
                    path=request.path[:500],
                    request_hash=fingerprint,
                )
            return record, True
        except IntegrityError:
            return IdempotencyRecord.objects.get(user=user, key=key), False

    def _answer_repeat(self, record, fingerprint):
        if record.request_hash != fingerprint:
            return _error(
                422,
                _("该 Idempotency-Key 已用于另一个请求（内容不同）；新的请求请使用新的键。"),
            )
        if record.status_code is None:
            return _error(409, _("相同的请求正在处理中，请稍后重试。"), Retry_After="1")
        return _replay(record)

    def _keep(self, record, response) -> None:
        content_type = response.get("Content-Type", "")
        keep = (
            response.status_code < 500
            and response.status_code not in NOT_KEPT
            and content_type.startswith("application/json")
            and not getattr(response, "streaming", False)
        )
        if not keep:
            IdempotencyRecord.objects.filter(pk=record.pk).delete()
            return
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        try:
            body = json.loads(response.content or b"null")
        except ValueError:
            IdempotencyRecord.objects.filter(pk=record.pk).delete()
            return
        try:
            with transaction.atomic():
                IdempotencyRecord.objects.filter(pk=record.pk).update(
                    status_code=response.status_code,
                    response_body=body,
                    response_headers={h: response[h] for h in KEPT_HEADERS if h in response},
                )
        except DataError:
            # JSON the database cannot hold (a NUL echoed back in an error): not kept, so a
            # retry runs again (found by the contract run).
            IdempotencyRecord.objects.filter(pk=record.pk).delete()


# --- X-External-Id on creates ---------------------------------------------------------------

EXTERNAL_HEADER = "X-External-Id"
EXTERNAL_PATTERN = re.compile(r"^[\x21-\x7e]{1,100}$")
# The creates a county system may name with its own id, and the kind recorded.
CREATES = {"/api/v1/progress-reports/": "progress-report"}


class ExternalIdMiddleware:
    """`X-External-Id: <the system's own id>` on a create names the new record (unique per
    client; looked up at /api/v1/external-ids/?external_id=…). An id already used is a 409
    naming the record it points to, and nothing is created: a natural retry guard too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .models import ExternalId

        external_id = request.headers.get(EXTERNAL_HEADER)
        kind = CREATES.get(request.path)
        if external_id is None or request.method != "POST" or kind is None:
            return self.get_response(request)
        if not EXTERNAL_PATTERN.match(external_id):
            return _error(400, _("X-External-Id 应为1–100个可见ASCII字符。"))
        try:
            request.body  # noqa: B018  (kept in memory for the authentication and the view)
        except Exception:  # noqa: BLE001  (too large: the view answers 413)
            return self.get_response(request)
        if _caller(request) is None:
            return self.get_response(request)
        client = getattr(request, "api_client", None)
        if client is None:
            return _error(400, _("X-External-Id 只供对接系统使用。"))
        taken = ExternalId.objects.filter(client=client, external_id=external_id).first()
        if taken is not None:
            response = _error(409, _("该外部编号已登记，对应的记录见 id。"))
            body = json.loads(response.content)
            body.update(kind=taken.kind, id=taken.object_id)
            return JsonResponse(body, status=409)
        response = self.get_response(request)
        if response.status_code == 201:
            try:
                object_id = int(json.loads(response.content)["id"])
                with transaction.atomic():
                    ExternalId.objects.create(
                        client=client, kind=kind, object_id=object_id, external_id=external_id
                    )
            except (ValueError, KeyError, TypeError, IntegrityError):
                pass  # the record exists; the id can be attached at /api/v1/external-ids/
        return response
