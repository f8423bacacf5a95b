from http import HTTPStatus

import pytest

from tests.factories import UserFactory


@pytest.mark.django_db
def test_logged_in_user_reads_plans_with_pilot_towns(api_client, plan):
    api_client.force_authenticate(UserFactory())
    response = api_client.get("/api/v1/plans/")
    assert response.status_code == HTTPStatus.OK
    assert response.json()["results"][0]["slug"] == plan.slug
    assert len(response.json()["results"][0]["pilot_towns"]) == 6
