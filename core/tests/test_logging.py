"""Every error is logged: the traceback and the request id, one JSON object per line on stderr."""

import io
import json
import logging
from contextlib import contextmanager
from http import HTTPStatus

import pytest
from django.test import Client

from core.logging import JsonFormatter

pytestmark = [pytest.mark.django_db, pytest.mark.urls("core.tests.boom_urls")]


@contextmanager
def console_lines():
    """What the configured console handler (settings.LOGGING) writes, as parsed JSON lines."""
    handler = next(
        h for h in logging.getLogger().handlers if isinstance(h.formatter, JsonFormatter)
    )
    stream = io.StringIO()
    previous = handler.setStream(stream)
    lines: list[dict] = []
    try:
        yield lines
    finally:
        handler.setStream(previous)
        lines.extend(json.loads(line) for line in stream.getvalue().splitlines())


def error_of(lines):
    return next(
        line for line in lines if line["logger"] == "django.request" and line["level"] == "ERROR"
    )


def test_an_unhandled_error_is_logged_with_its_traceback_and_request_id():
    with console_lines() as lines:
        response = Client(raise_request_exception=False).get(
            "/boom/", HTTP_X_REQUEST_ID="proxy-req-20190630"
        )

    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    error = error_of(lines)
    assert error["request_id"] == "proxy-req-20190630"
    assert error["exc_type"] == "ZeroDivisionError"
    assert "a page failed" in error["traceback"] and "boom_urls.py" in error["traceback"]
    assert error["path"] == "/boom/" and error["status_code"] == 500


def test_the_500_page_shows_the_request_id_and_the_header_carries_it():
    response = Client(raise_request_exception=False).get(
        "/boom/", HTTP_X_REQUEST_ID="proxy-req-20190630"
    )

    html = response.content.decode()
    assert response["X-Request-ID"] == "proxy-req-20190630"
    assert "出错了，请把下面的编号告诉管理员：" in html
    assert 'data-testid="request-id">proxy-req-20190630<' in html


def test_an_api_error_is_a_json_500_with_the_request_id_and_is_logged():
    with console_lines() as lines:
        response = Client(raise_request_exception=False).get("/api/boom/")

    request_id = response["X-Request-ID"]
    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert response.json() == {
        "detail": "服务器内部错误，请把编号告诉管理员。",
        "code": "server_error",
        "request_id": request_id,
    }
    error = error_of(lines)
    assert error["request_id"] == request_id
    assert "an API call failed" in error["traceback"]


@pytest.mark.parametrize(
    "sent", ["", "short", "has spaces in it", "x" * 200, "évil-ünicode-id", "a\r\nInjected: 1"]
)
def test_an_insane_request_id_is_replaced_by_our_own(sent):
    response = Client().get("/accounts/login/", HTTP_X_REQUEST_ID=sent)

    assert response["X-Request-ID"] != sent
    assert len(response["X-Request-ID"]) == 32 and response["X-Request-ID"].isalnum()


def test_a_4xx_is_logged_with_the_request_id_of_its_request():
    with console_lines() as lines:
        response = Client().get("/api/v1/regions/", HTTP_X_REQUEST_ID="proxy-req-401-check")

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    warning = next(line for line in lines if line["logger"] == "django.request")
    assert warning["request_id"] == "proxy-req-401-check"
    assert warning["level"] == "WARNING"


def test_security_events_are_json_lines_too(django_user_model):
    django_user_model.objects.create_user(username="someone", password="Pass-word-123")
    with console_lines() as lines:
        Client().post("/accounts/login/", {"username": "someone", "password": "wrong"})

    failed = next(line for line in lines if line["logger"] == "yangquan.security")
    assert failed["message"].startswith("login failed user=someone")
    assert len(failed["request_id"]) == 32
