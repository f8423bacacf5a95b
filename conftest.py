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


@pytest.fixture(autouse=True)
def _celery_in_process():
    """Jobs run in the test's own process and transaction, even when REDIS_URL is set.

    The test that proves a real worker on Redis runs them (tasks/tests/
    test_jobs_worker.py) switches this off for itself.
    """
    from yangquan_tracker.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous
