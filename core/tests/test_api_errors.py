"""No 500 from input: every bad value is a 4xx with a JSON body in the one error shape."""

import json
from http import HTTPStatus

import pytest
from rest_framework.test import APIClient

from core.parsers import json_depth
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(db):
    client = APIClient()
    client.force_authenticate(UserFactory())
    return client


def assert_error(response, status, *, field=None, code=None):
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    if field:
        assert isinstance(body[field], list) and body[field][0], body
    else:
        assert body["detail"] and body["code"], body
        if code:
            assert body["code"] == code
    return body


@pytest.mark.parametrize("year", ["0", "-1", "1e5", "99999999999999999999", "2019.5", "abc"])
def test_a_bad_year_is_a_400_naming_it(api, year):
    assert_error(api.get("/api/v1/regions/", {"year": year}), HTTPStatus.BAD_REQUEST, field="year")


def test_a_sane_year_filters(api):
    response = api.get("/api/v1/regions/", {"year": 2019})

    assert response.status_code == HTTPStatus.OK
    assert response.json()["count"] > 0


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page_size": "null"}, "page_size"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "100000"}, "page_size"),
        ({"page": "0"}, "page"),
        ({"page": "abc"}, "page"),
        ({"kind": ""}, "kind"),
        ({"kind": "planet"}, "kind"),
        ({"parent": "abc"}, "parent"),
        ({"parent": "99999999999999999999"}, "parent"),
    ],
)
def test_bad_list_parameters_are_a_400_naming_them(api, params, field):
    assert_error(api.get("/api/v1/regions/", params), HTTPStatus.BAD_REQUEST, field=field)


def test_an_id_that_names_no_row_filters_to_nothing(api):
    response = api.get("/api/v1/regions/", {"parent": 999999})

    assert response.status_code == HTTPStatus.OK
    assert response.json()["count"] == 0


@pytest.mark.parametrize("value", ["null", "yes", "2", ""])
def test_a_boolean_filter_takes_true_or_false_only(api, value):
    response = api.get("/api/v1/periods/", {"is_locked": value})

    assert_error(response, HTTPStatus.BAD_REQUEST, field="is_locked")


def test_a_page_past_the_end_is_a_json_404(api):
    assert_error(
        api.get("/api/v1/regions/", {"page": 9999}), HTTPStatus.NOT_FOUND, code="not_found"
    )


def test_json_nested_900_deep_is_a_400_not_a_recursion_error(api):
    body = "[" * 900 + "]" * 900

    response = api.post(
        "/api/v1/progress-reports/", data=body.encode(), content_type="application/json"
    )

    assert_error(response, HTTPStatus.BAD_REQUEST, code="parse_error")


def test_json_over_two_megabytes_is_a_json_413(api):
    body = json.dumps({"progress": "进" * (1024 * 1024)})

    response = api.post(
        "/api/v1/progress-reports/", data=body.encode(), content_type="application/json"
    )

    assert_error(response, HTTPStatus.REQUEST_ENTITY_TOO_LARGE, code="too_large")


def test_malformed_json_and_nan_are_a_400(api):
    for body in ('{"percent": ', '{"percent": NaN}'):
        response = api.post(
            "/api/v1/progress-reports/", data=body.encode(), content_type="application/json"
        )
        assert_error(response, HTTPStatus.BAD_REQUEST, code="parse_error")


def test_an_unsupported_content_type_is_a_json_415(api):
    response = api.post("/api/v1/progress-reports/", data=b"x", content_type="text/plain")

    assert_error(response, HTTPStatus.UNSUPPORTED_MEDIA_TYPE, code="unsupported_media_type")


def test_an_unknown_api_url_is_a_json_404():
    response = APIClient().get("/api/v1/no-such-thing/")

    assert_error(response, HTTPStatus.NOT_FOUND, code="not_found")


def test_a_method_not_allowed_is_a_json_405(api):
    response = api.delete("/api/v1/regions/")

    assert_error(response, HTTPStatus.METHOD_NOT_ALLOWED, code="method_not_allowed")
    assert "GET" in response["Allow"]


def test_an_anonymous_call_is_a_json_401():
    response = APIClient().get("/api/v1/regions/")

    assert_error(response, HTTPStatus.UNAUTHORIZED, code="not_authenticated")


def test_a_missing_row_is_a_json_404(api):
    assert_error(api.get("/api/v1/regions/99999999/"), HTTPStatus.NOT_FOUND, code="not_found")


def test_a_huge_id_in_the_url_is_a_404(api):
    response = api.get("/api/v1/regions/99999999999999999999999/")

    assert_error(response, HTTPStatus.NOT_FOUND, code="not_found")


def test_a_page_not_under_api_keeps_its_html_404(client):
    response = client.get("/no-such-page/")

    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response["Content-Type"].startswith("text/html")


def test_json_depth_skips_brackets_inside_strings():
    assert json_depth('{"a": "[[[[{{{{", "b": [1, [2]]}') == 3
    assert json_depth('"\\"[[["') == 0
