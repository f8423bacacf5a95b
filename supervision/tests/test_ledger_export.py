"""催办 and 督查整改 lists export as ledgers (任务台账) whose rows equal the lists on screen."""

import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from supervision import services
from tasks.models import Assignment

from .conftest import browser_for, in_days

pytestmark = pytest.mark.django_db


def _rows(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][:11] == [
        "序号", "任务编号", "工作任务", "牵头单位", "配合单位", "完成时限", "进度", "完成百分比",
        "状态灯", "最新进展", "存在问题",
    ]  # fmt: skip
    assert sheet.freeze_panes == "A2"
    return rows[1:]


def test_reminder_export_rows_equal_the_reminders_on_screen(coordinator, body, make_report):
    shares = list(Assignment.objects.filter(department=body, is_active=True).order_by("pk")[:3])
    make_report(shares[0], state="approved", progress="已召开专题会")
    for n in (1, 2, 3):
        services.reminder_send(
            department=body, assignments=shares[:n], message="请报送", reply_by=in_days(5),
            by=coordinator,
        )  # fmt: skip
    client = browser_for(coordinator)
    page = client.get("/reminders/")
    on_screen = [(r, a) for r in page.context["page"] for a in r.assignments.all()]
    rows = _rows(client.get("/reminders/?export=xlsx"))
    assert len(rows) == len(on_screen) == 6
    for row, (reminder, share) in zip(rows, on_screen, strict=True):
        assert row[1] == share.task.code and row[2] == share.task.title
        assert (
            row[11] == body.short_name
            and row[13] == reminder.reply_by.isoformat()
            or row[13].date() == reminder.reply_by
        )
        assert row[14] == reminder.get_state_display()
    assert any(row[9] == "已召开专题会" for row in rows)  # approved progress shown


def test_reminder_export_keeps_the_filter(coordinator, body, other_body):
    share = Assignment.objects.filter(department=body, is_active=True).first()
    other = Assignment.objects.filter(department=other_body, is_active=True).first()
    for b, s in ((body, share), (other_body, other)):
        services.reminder_send(
            department=b, assignments=[s], message="催", reply_by=in_days(5), by=coordinator
        )
    rows = _rows(browser_for(coordinator).get(f"/reminders/?department={body.pk}&export=xlsx"))
    assert [r[11] for r in rows] == [body.short_name]


def test_inspection_export_rows_equal_the_findings(coordinator, body, other_body, plan):
    inspection = services.inspection_record(
        plan=plan,
        inspected_on=timezone.localdate(),
        inspectors="督查组",
        by=coordinator,
        findings=[
            {"text": "台账不全", "department": body, "deadline": in_days(30)},
            {"text": "公开栏未更新", "department": other_body, "deadline": in_days(20)},
        ],
    )
    client = browser_for(coordinator)
    rows = _rows(client.get("/inspections/?export=xlsx"))
    findings = list(inspection.findings.order_by("number"))
    assert [(r[1], r[12], r[13], r[14]) for r in rows] == [
        (f.task.code, f.text, f.department.short_name, "否") for f in findings
    ]
    assert all(r[3] == f.department.short_name for r, f in zip(rows, findings, strict=True))


def test_exports_cost_the_same_queries_at_two_sizes(coordinator, body, plan):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    shares = list(Assignment.objects.filter(department=body, is_active=True).order_by("pk"))
    client = browser_for(coordinator)

    def grow(n):
        for i in range(n):
            services.reminder_send(
                department=body, assignments=shares[: 1 + i % len(shares)], message="催",
                reply_by=in_days(5), by=coordinator,
            )  # fmt: skip
            services.inspection_record(
                plan=plan, inspected_on=timezone.localdate(), inspectors="督查组", by=coordinator,
                findings=[{"text": f"问题{i}", "department": body, "deadline": in_days(9)}],
            )  # fmt: skip

    def count(url):
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            b"".join(client.get(url).streaming_content)
        return len(captured)

    grow(2)
    small = [count("/reminders/?export=xlsx"), count("/inspections/?export=xlsx")]
    grow(8)
    large = [count("/reminders/?export=xlsx"), count("/inspections/?export=xlsx")]
    assert small == large
