"""The whole API against its own schema: property-based requests, as staff, as a coordinator
and as a county system (an OAuth client of 平定县 with a bearer token from /o/token/).

schemathesis reads `/api/schema/` from the app in process (WSGI, no server) and,
for every operation, sends generated requests — valid ones and, for negative
mode, deliberately invalid ones — then runs every check it has: no 5xx, status
codes and content types the schema documents, bodies that match the documented
schema, invalid input refused, valid input accepted, 405s with an Allow header…
Each example is sent three times: with a staff member's token, a coordinator's, and a
county system's bearer token (whose PUT/PATCH without If-Match are 428, as documented).

Uploads: the schema can say "a file", not "a real PDF"; the generator is told
what real evidence looks like (format `binary` draws real PDF, PNG, JPEG, .docx
and .xlsx files), so that valid examples are valid. Files refused by their
content are tested in reports/tests/test_evidence_storage.py.

Runtime is bounded: API_CONTRACT_MAX_EXAMPLES examples per operation and mode
(default 15) and a fixed seed (API_CONTRACT_SEED), so a run is repeatable; raise
the examples locally to search harder (API_CONTRACT_MAX_EXAMPLES=200).
"""

import os
import re
import uuid

import pytest
import schemathesis
from hypothesis import HealthCheck, seed, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.specs.openapi.checks import positive_data_acceptance

from accounts.models import UserRole
from accounts.services import account_create
from departments.models import Department
from tests.factories import UserFactory


def _real_files() -> list[bytes]:
    import base64
    import io

    import docx
    import openpyxl

    document, workbook = io.BytesIO(), io.BytesIO()
    docx.Document().save(document)
    openpyxl.Workbook().save(workbook)
    png = base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
    )
    pdf = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
    jpeg = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
    return [pdf, png, jpeg, document.getvalue(), workbook.getvalue()]


schemathesis.openapi.format("binary", st.sampled_from(_real_files()))

MAX_EXAMPLES = int(os.environ.get("API_CONTRACT_MAX_EXAMPLES", "15"))
SEED = int(os.environ.get("API_CONTRACT_SEED", "20181109"))


@pytest.fixture(autouse=True)
def _node_id_for_schemathesis(request):
    """schemathesis 4.32's lazy schema reads `node._nodeid`, which pytest 9 no longer sets."""
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid


def _county_token() -> str:
    """A county system's access token, from a real token request."""
    import base64

    from django.test import Client

    from integrations.services import api_client_create

    client, secret = api_client_create(
        department=Department.objects.get(short_name="平定县人民政府"), name="平定县政务系统"
    )
    basic = base64.b64encode(f"{client.application.client_id}:{secret}".encode()).decode()
    response = Client().post(
        "/o/token/", {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=f"Basic {basic}"
    )
    assert response.status_code == 200, response.content
    return response.json()["access_token"]


@pytest.fixture(autouse=True)
def _county_not_throttled():
    """The run sends far more than a county system may per minute; 429 is tested elsewhere
    (integrations/tests/test_county_writes.py)."""
    from rest_framework.throttling import SimpleRateThrottle

    original = SimpleRateThrottle.THROTTLE_RATES
    SimpleRateThrottle.THROTTLE_RATES = {**original, "api_client": "1000000/min"}
    yield
    SimpleRateThrottle.THROTTLE_RATES = original


@pytest.fixture
def api_tokens(db, plan):
    """Tokens of a staff member of a body that has assignments, of a coordinator, and of a
    county system (OAuth client credentials)."""
    staff = UserFactory(
        username="contract_staff",
        role=UserRole.STAFF,
        department=Department.objects.get(short_name="市编办"),
    )
    coordinator = account_create(
        username="contract_coordinator",
        department=Department.objects.get(short_name="市民政局"),
        role=UserRole.COORDINATOR,
        password="Xie-Tiao-Yuan-2019",
    )
    return {
        "staff": Token.objects.create(user=staff).key,
        "coordinator": Token.objects.create(user=coordinator).key,
        "county": _county_token(),
    }


@pytest.fixture
def _test_transaction_kept():
    """The WSGI app closes "old" connections after each request; inside a test's transaction
    that closes the test's own connection (PostgreSQL). Django's test client does the same."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(api_tokens, _test_transaction_kept):
    from yangquan_tracker.wsgi import application

    return schemathesis.openapi.from_wsgi(
        "/api/schema/?format=json",
        application,
        headers={"Authorization": f"Token {api_tokens['coordinator']}"},
    )


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@seed(SEED)
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    database=None,
    derandomize=False,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema_for_staff_coordinator_and_county_system(case, api_tokens):
    callers = [f"Token {api_tokens['staff']}", f"Token {api_tokens['coordinator']}"]
    callers.append(f"Bearer {api_tokens['county']}")
    for authorization in callers:
        headers = {"Authorization": authorization}
        key = (case.headers or {}).get("Idempotency-Key")
        if isinstance(key, str) and re.fullmatch(r"[!-~]{1,255}", key):
            # A valid key drawn again for another request is a 422 by contract (tested in
            # integrations/tests/test_safe_writes.py); here every request gets its own.
            headers["Idempotency-Key"] = uuid.uuid4().hex
        excluded = []
        if (
            authorization.startswith("Bearer")
            and case.method in ("PUT", "PATCH")
            and "If-Match" not in (case.headers or {})
        ):
            # A county system's change without If-Match is a 428 by contract (documented;
            # integrations/tests/test_safe_writes.py): not "valid input rejected".
            excluded.append(positive_data_acceptance)
        body = case.body if isinstance(case.body, dict) else {}
        if body.get("status") == "not_started" and body.get("percent") not in (None, 0):
            # A cross-field rule OpenAPI cannot state (documented on `percent`; tested in
            # reports/tests/test_api_reports.py): 未启动 with a percent above 0 is a 400.
            excluded.append(positive_data_acceptance)
        case.call_and_validate(headers=headers, excluded_checks=excluded)
