"""The admin site: every registered model opens, the CSV import, no deletion of reports."""

from http import HTTPStatus

import pytest
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.authtoken.models import Token

from accounts.models import User, UserRole
from departments.models import Department
from milestones.models import ChecklistEvidence, ChecklistLine, Milestone
from reports.models import Evidence, ProgressReport, ReportingPeriod
from tasks.models import Assignment
from tests.factories import ProgressReportFactory, UserFactory

pytestmark = pytest.mark.django_db

PROJECT_APPS = {"accounts", "departments", "tasks", "milestones", "reports"}
IMPORT_URL = "/admin/accounts/user/import-csv/"
GOOD_CSV = (
    "username,department,role,password\n"
    "bianban_zhang,市编办,staff,Chu-Shi-Mima-2019\n"
    "caizheng_qian,市财政局,reviewer,Chu-Shi-Mima-2020\n"
)


@pytest.fixture
def superuser():
    return UserFactory(
        username="superadmin",
        is_superuser=True,
        is_staff=True,
        role=UserRole.COORDINATOR,
        department=Department.objects.get(short_name="市民政局"),
    )


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def report_rows(plan, superuser):
    """The loaded plan has no reports yet: one period, report and evidence file."""
    assignment = Assignment.objects.filter(task__plan=plan).first()
    period = ReportingPeriod.objects.get(plan=plan, code="2019H1")
    report = ProgressReportFactory(assignment=assignment, period=period)
    Evidence.objects.create(
        report=report,
        file=f"evidence/{assignment.pk}/0123456789abcdef.pdf",
        original_name="会议纪要.pdf",
        extension="pdf",
        content_type="application/pdf",
        size=1024,
        sha256="0123456789abcdef" * 4,
        uploaded_by=report.created_by,
    )
    line = ChecklistLine.objects.filter(milestone__plan=plan).first()
    ChecklistEvidence.objects.create(
        line=line,
        file=f"checklists/{line.pk}/0123456789abcdef.pdf",
        original_name="会议纪要.pdf",
        extension="pdf",
        content_type="application/pdf",
        size=1024,
        sha256="0123456789abcdef" * 4,
        uploaded_by=superuser,
    )
    Group.objects.create(name="协调员组")
    Token.objects.create(user=superuser)
    return report


def csv_upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("accounts.csv", text.encode("utf-8"), content_type="text/csv")


def registered():
    return sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


@pytest.mark.usefixtures("report_rows")
def test_every_registered_model_opens_in_the_admin_for_a_superuser(
    admin_client, superuser, django_assert_max_num_queries
):
    request = RequestFactory().get("/admin/")
    request.user = superuser
    without_rows = []
    for model, model_admin in registered():
        info = model._meta.app_label, model._meta.model_name
        # A list must not run a query per row (the plan has 61 tasks, 120 assignments).
        with django_assert_max_num_queries(25):
            response = admin_client.get(reverse("admin:{}_{}_changelist".format(*info)))
        assert response.status_code == HTTPStatus.OK, model._meta.label
        if model_admin.has_add_permission(request):
            response = admin_client.get(reverse("admin:{}_{}_add".format(*info)))
            assert response.status_code == HTTPStatus.OK, model._meta.label
        obj = model_admin.get_queryset(request).first()
        if obj is None:
            without_rows.append(model._meta.label)
            continue
        change_url = reverse("admin:{}_{}_change".format(*info), args=[quote(obj.pk)])
        with django_assert_max_num_queries(30):
            response = admin_client.get(change_url)
        assert response.status_code == HTTPStatus.OK, model._meta.label
        if hasattr(model_admin, "history_view"):
            history_url = reverse("admin:{}_{}_history".format(*info), args=[quote(obj.pk)])
            response = admin_client.get(history_url)
            assert response.status_code == HTTPStatus.OK, model._meta.label
    assert not [label for label in without_rows if label.split(".")[0] in PROJECT_APPS]


def test_every_project_model_is_registered():
    from django.apps import apps

    missing = [
        model._meta.label
        for app in PROJECT_APPS
        for model in apps.get_app_config(app).get_models()
        if not model._meta.label.split(".")[1].startswith("Historical")
        and model not in admin.site._registry
    ]
    assert missing == []


def test_admin_site_is_titled_in_chinese(admin_client):
    response = admin_client.get("/admin/")

    assert response.status_code == HTTPStatus.OK
    assert "阳泉市乡镇政府服务能力建设任务跟踪 · 管理" in response.content.decode()


def test_task_change_page_shows_responsibilities_and_assignments(admin_client, plan):
    assignment = (
        Assignment.objects.filter(task__plan=plan, department__short_name="平定县人民政府")
        .select_related("task")
        .first()
    )

    response = admin_client.get(reverse("admin:tasks_task_change", args=[assignment.task_id]))

    content = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "责任分工" in content
    assert "任务分解" in content
    assert "平定县人民政府" in content


@pytest.mark.parametrize("model", [ProgressReport, Evidence])
def test_reports_and_evidence_cannot_be_deleted_in_the_admin(
    admin_client, superuser, model, report_rows
):
    request = RequestFactory().get("/admin/")
    request.user = superuser
    model_admin = admin.site._registry[model]
    obj = model.objects.first()
    info = model._meta.app_label, model._meta.model_name

    assert not model_admin.has_delete_permission(request, obj)
    assert "delete_selected" not in model_admin.get_actions(request)
    response = admin_client.post(
        reverse("admin:{}_{}_delete".format(*info), args=[obj.pk]), {"post": "yes"}
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert model.objects.filter(pk=obj.pk).exists()


def test_user_changelist_links_to_the_csv_import(admin_client):
    response = admin_client.get(reverse("admin:accounts_user_changelist"))

    assert IMPORT_URL in response.content.decode()


def test_csv_import_page_creates_the_accounts(admin_client, superuser):
    page = admin_client.get(IMPORT_URL)
    assert page.status_code == HTTPStatus.OK
    assert "批量导入账号" in page.content.decode()

    response = admin_client.post(IMPORT_URL, {"file": csv_upload(GOOD_CSV)}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("admin:accounts_user_changelist")
    assert "已创建 2 个账号。" in response.content.decode()
    created = User.objects.get(username="caizheng_qian")
    assert created.role == UserRole.REVIEWER
    assert created.department.short_name == "市财政局"
    assert created.history.get().history_user == superuser


def test_csv_import_page_shows_errors_and_creates_nothing(admin_client):
    bad = GOOD_CSV + "pingding_x,各县(区)人民政府,staff,Chu-Shi-Mima-2021\n"

    response = admin_client.post(IMPORT_URL, {"file": csv_upload(bad)})

    content = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "第4行：" in content
    assert "没有创建任何账号" in content
    assert not User.objects.filter(username__in=["bianban_zhang", "caizheng_qian"]).exists()


def test_csv_import_page_refuses_a_file_that_is_not_csv(admin_client):
    upload = SimpleUploadedFile("accounts.xlsx", b"PK\x03\x04", content_type="application/zip")

    response = admin_client.post(IMPORT_URL, {"file": upload})

    assert response.status_code == HTTPStatus.OK
    assert ".csv" in response.content.decode()


def test_csv_import_page_needs_the_add_user_permission(client):
    viewer = UserFactory(is_staff=True, role=UserRole.COORDINATOR, department=None)
    viewer.user_permissions.add(Permission.objects.get(codename="view_user"))
    client.force_login(viewer)

    assert client.get(reverse("admin:accounts_user_changelist")).status_code == HTTPStatus.OK
    assert IMPORT_URL not in client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert client.get(IMPORT_URL).status_code == HTTPStatus.FORBIDDEN
    response = client.post(IMPORT_URL, {"file": csv_upload(GOOD_CSV)})
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not User.objects.filter(username="bianban_zhang").exists()


def test_admin_adds_a_user_with_department_and_role(admin_client):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "minzheng_new",
            "department": Department.objects.get(short_name="市民政局").pk,
            "role": UserRole.COORDINATOR,
            "usable_password": "true",
            "password1": "Chu-Shi-Mima-2019",
            "password2": "Chu-Shi-Mima-2019",
        },
    )

    assert response.status_code == HTTPStatus.FOUND
    user = User.objects.get(username="minzheng_new")
    assert user.department.short_name == "市民政局"
    assert user.is_staff  # coordinators work in the admin


def test_admin_refuses_a_staff_user_in_a_collective_department(admin_client):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "county_staff",
            "department": Department.objects.get(short_name="各县(区)人民政府").pk,
            "role": UserRole.STAFF,
            "usable_password": "true",
            "password1": "Chu-Shi-Mima-2019",
            "password2": "Chu-Shi-Mima-2019",
        },
    )

    assert response.status_code == HTTPStatus.OK
    assert "集合称谓" in response.content.decode()
    assert not User.objects.filter(username="county_staff").exists()


def test_department_admin_refuses_members_on_a_concrete_department(admin_client):
    bianban = Department.objects.get(short_name="市编办")
    url = reverse("admin:departments_department_change", args=[bianban.pk])
    page = admin_client.get(url)
    form = page.context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if name in form.fields and value is not None
    }
    data.update(
        {
            "members": [Department.objects.get(short_name="市财政局").pk],
            "aliases-TOTAL_FORMS": "0",
            "aliases-INITIAL_FORMS": "0",
        }
    )
    data.pop("successor", None)
    data.pop("region", None)

    response = admin_client.post(url, data)

    assert response.status_code == HTTPStatus.OK
    assert "只有集合称谓可以包含其他单位。" in response.content.decode()
    assert not bianban.members.exists()


def test_milestone_checklist_page_does_not_query_per_line(
    admin_client, django_assert_max_num_queries
):
    milestone = Milestone.objects.annotate(n_lines=Count("lines")).order_by("-n_lines").first()
    assert milestone.n_lines > 20

    with django_assert_max_num_queries(15):
        response = admin_client.get(
            reverse("admin:milestones_milestone_change", args=[milestone.pk])
        )

    assert response.status_code == HTTPStatus.OK


def test_milestone_checklist_line_is_ticked_off_in_the_admin(admin_client, superuser):
    milestone = Milestone.objects.annotate(n_lines=Count("lines")).filter(n_lines__gt=0).first()
    url = reverse("admin:milestones_milestone_change", args=[milestone.pk])
    lines = list(milestone.lines.order_by("region__code"))
    data = {
        field: getattr(milestone, field)
        for field in (
            "code",
            "title",
            "scope",
            "order",
            "due_date",
            "due_precision",
            "text",
            "note",
        )
    }
    data["plan"] = milestone.plan_id
    data.update(
        {
            "lines-TOTAL_FORMS": str(len(lines)),
            "lines-INITIAL_FORMS": str(len(lines)),
            "lines-MIN_NUM_FORMS": "0",
            "lines-MAX_NUM_FORMS": "1000",
        }
    )
    for i, line in enumerate(lines):
        data[f"lines-{i}-id"] = line.pk
        data[f"lines-{i}-milestone"] = milestone.pk
        data[f"lines-{i}-completed_on"] = "2019-06-30" if i == 0 else ""
        data[f"lines-{i}-state"] = "confirmed" if i == 0 else "open"
        data[f"lines-{i}-note"] = ""

    response = admin_client.post(url, data)

    assert response.status_code == HTTPStatus.FOUND, response.context["errors"]
    lines[0].refresh_from_db()
    assert (str(lines[0].completed_on), lines[0].state) == ("2019-06-30", "confirmed")
    assert lines[0].history.first().history_user == superuser
