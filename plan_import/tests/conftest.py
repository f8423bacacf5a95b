import pytest

from accounts.models import UserRole
from departments.models import Department
from tests.factories import UserFactory


@pytest.fixture
def coordinator(db):
    return UserFactory(
        username="minzheng_coord",
        role=UserRole.COORDINATOR,
        department=Department.objects.get(short_name="市民政局"),
    )
