import pytest
from django.core.management import call_command

@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real 2018 plan once into the test database.

    Ordinary tests run inside a transaction that is rolled back, so they all see
    the loaded plan. Transactional tests (browser tests) flush the database
    afterwards and load the plan again themselves (fixture `loaded_plan_db`).
    """
    with django_db_blocker.unblock():
        call_command("load_plan", verbosity=0)


@pytest.fixture
def plan():
    from tasks.models import Plan

    return Plan.objects.get(slug="yq-2018-township-service")


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()
