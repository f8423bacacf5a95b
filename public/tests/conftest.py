"""The reporting tests' people and helpers (reports/tests/conftest.py)."""

from reports.tests import conftest as reporting
from reports.tests.conftest import ROLES, browser_for, rolled_back  # noqa: F401

_media_root = reporting._media_root
assignment = reporting.assignment
body = reporting.body
clause = reporting.clause
coordinator = reporting.coordinator
make_report = reporting.make_report
member = reporting.member
other_body = reporting.other_body
other_reviewer = reporting.other_reviewer
other_staff = reporting.other_staff
reviewer = reporting.reviewer
users = reporting.users
viewer = reporting.viewer
