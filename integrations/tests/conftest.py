"""Two county systems (平定县, 盂县) as real OAuth clients, with tokens from /o/token/."""

import base64
from dataclasses import dataclass

import pytest
from django.test import Client

from departments.models import Department
from integrations.models import ApiClient
from integrations.services import api_client_create
from tasks.models import Assignment

PINGDING = "平定县人民政府"
YUXIAN = "盂县人民政府"
TOKEN_URL = "/o/token/"


@dataclass
class County:
    client: ApiClient
    secret: str
    department: Department

    @property
    def client_id(self) -> str:
        return self.client.application.client_id


def token_response(client_id: str, secret: str, scope: str | None = None):
    """A real token request: HTTP Basic with the client's id and secret, form-encoded body."""
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    data = {"grant_type": "client_credentials"}
    if scope:
        data["scope"] = scope
    return Client().post(TOKEN_URL, data, HTTP_AUTHORIZATION=f"Basic {basic}")


def token_for(county: County, scope: str | None = None) -> str:
    response = token_response(county.client_id, county.secret, scope)
    assert response.status_code == 200, response.content
    return response.json()["access_token"]


class BearerClient(Client):
    """Django's test client, every request with `Authorization: Bearer <token>`."""

    def __init__(self, token: str, **kwargs):
        super().__init__(HTTP_AUTHORIZATION=f"Bearer {token}", **kwargs)

    def post_json(self, path, data, **extra):
        return self.post(path, data, content_type="application/json", **extra)

    def patch_json(self, path, data, **extra):
        return self.patch(path, data, content_type="application/json", **extra)

    def put_json(self, path, data, **extra):
        return self.put(path, data, content_type="application/json", **extra)


def county(short_name: str, *, scopes=("read", "write"), name: str | None = None) -> County:
    department = Department.objects.get(short_name=short_name)
    client, secret = api_client_create(
        department=department, name=name or f"{short_name}政务系统", scopes=scopes
    )
    return County(client=client, secret=secret, department=department)


@pytest.fixture
def pingding(db) -> County:
    return county(PINGDING)


@pytest.fixture
def yuxian(db) -> County:
    return county(YUXIAN)


@pytest.fixture
def pingding_api(pingding) -> BearerClient:
    return BearerClient(token_for(pingding))


@pytest.fixture
def yuxian_api(yuxian) -> BearerClient:
    return BearerClient(token_for(yuxian))


def assignment_of(department: Department) -> Assignment:
    return (
        Assignment.objects.filter(department=department, is_active=True)
        .select_related("task")
        .order_by("pk")
        .first()
    )


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _no_throttle_state():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
