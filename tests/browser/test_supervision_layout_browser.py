"""The supervision pages on an office screen (1366×768) and a phone (390×844): nothing overflows,
nothing is fetched from outside the server. Screenshots go to docs/screenshots/supervision/ only with
UPDATE_SCREENSHOTS=1:

    UPDATE_SCREENSHOTS=1 .venv/bin/python -m pytest -p no:cacheprovider -q \
        tests/browser/test_supervision_layout_browser.py
"""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.models import UserRole
from departments.models import Department, Region
from milestones import services as milestone_services
from milestones.models import ChecklistLine
from reports import services as report_services
from supervision import services
from tasks.models import Assignment
from tests.browser.conftest import DESKTOP, PHONE, login
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(settings.BASE_DIR) / "docs" / "screenshots" / "supervision"


class _Upload:
    """A minimal uploaded PDF for the services (they read name, size, chunks)."""

    def __init__(self, name):
        from django.core.files.uploadedfile import SimpleUploadedFile

        self.file = SimpleUploadedFile(
            name, b"%PDF-1.4\n1 0 obj\n<< >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
        )


@pytest.fixture
def scene(loaded_plan_db, settings, tmp_path):
    """Reminders in every state, a signed-off item, an inspection, county lines in every state."""
    settings.MEDIA_ROOT = tmp_path / "media"
    body = Department.objects.get(short_name="市编办")
    bureau = Department.objects.get(short_name="市民政局")
    pingding = Department.objects.get(short_name="平定县人民政府")
    staff = UserFactory(
        username="bianban_staff", first_name="王晓明", role=UserRole.STAFF, department=body
    )
    reviewer = UserFactory(
        username="bianban_reviewer", first_name="李审核", role=UserRole.REVIEWER, department=body
    )
    coordinator = UserFactory(
        username="minzheng_coord", first_name="赵协调", role=UserRole.COORDINATOR, department=bureau
    )
    county = UserFactory(
        username="pingding_staff", first_name="孙县办", role=UserRole.STAFF, department=pingding
    )
    shares = list(Assignment.objects.filter(department=body).select_related("task").order_by("pk"))
    in_days = lambda n: timezone.localdate() + timedelta(days=n)  # noqa: E731

    def remind(assignments, message, days):
        return services.reminder_send(
            department=body,
            assignments=assignments,
            message=message,
            reply_by=in_days(days),
            by=coordinator,
        )

    remind(shares[:3], "请抓紧推进扩权强镇和综合执法改革，于本周五前报送进展并书面回复。", 5)
    acknowledged = remind(shares[3:4], "请说明站所分类改革进度滞后的原因。", 3)
    services.reminder_acknowledge(reminder=acknowledged, by=staff)
    replied = remind(shares[4:6], "请报送群团组织承接乡镇职能的办法。", 7)
    services.reminder_reply(
        reminder=replied,
        by=reviewer,
        reply="办法已起草，正在征求市总工会、团市委意见，预计月底印发。",
    )

    lead = shares[2]  # 三(一)2-1, 市编办 lead
    report = report_services.report_create(
        assignment=lead, by=staff, status="in_progress", percent=70, progress="已下放执法事项42项"
    )
    report = report_services.report_submit(report=report, by=staff)
    report_services.report_approve(report=report, by=reviewer)

    inspection = services.inspection_record(
        plan=lead.task.plan,
        inspected_on=timezone.localdate() - timedelta(days=3),
        inspectors="张督查、李督查",
        summary="对平定县、盂县乡镇便民服务中心建设情况开展专项督查。",
        departments=[body, Department.objects.get(short_name="市政府法制办")],
        regions=list(Region.objects.filter(code__in=["140321103000", "140322100000"])),
        findings=[
            {
                "text": "张庄镇便民服务中心未设置综合受理窗口，群众办事仍需多头跑。",
                "department": body,
                "deadline": in_days(45),
                "region": Region.objects.get(code="140321103000"),
            },
            {
                "text": "乡镇执法事项清单未向社会公开。",
                "department": Department.objects.get(short_name="市政府法制办"),
                "deadline": in_days(20),
            },
        ],
        by=coordinator,
    )

    lines = list(
        ChecklistLine.objects.filter(department=pingding).select_related("milestone").order_by("pk")
    )
    milestone_services.checklist_line_report_done(
        line=lines[0],
        by=county,
        completed_on=timezone.localdate(),
        note="已印发县级实施方案",
        upload=_Upload("实施方案.pdf").file,
    )
    milestone_services.checklist_line_confirm(line=lines[0], by=coordinator)
    milestone_services.checklist_line_report_done(
        line=lines[1],
        by=county,
        completed_on=timezone.localdate(),
        note="试点乡镇已完成评估",
        upload=_Upload("评估报告.pdf").file,
    )
    milestone_services.checklist_line_report_done(
        line=lines[2], by=county, completed_on=timezone.localdate(), note="已总结"
    )
    milestone_services.checklist_line_return(
        line=lines[2], by=coordinator, reason="请附县政府印发的总结文件"
    )
    return {
        "staff": staff,
        "coordinator": coordinator,
        "county": county,
        "lead": lead,
        "reminder": acknowledged,
        "inspection": inspection,
    }


def _fits(page, path):
    page.goto(path)
    page.wait_for_load_state("networkidle")
    widths = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
    )
    assert widths["scroll"] <= widths["inner"], f"{path} overflows horizontally: {widths}"


@pytest.mark.parametrize(
    ("device", "options"),
    [("desktop", {"viewport": DESKTOP}), ("phone", {**PHONE, "device_scale_factor": 1})],
)
def test_supervision_pages_fit_the_screen(
    device, options, new_context, scene, live_server, tmp_path
):
    folder = SCREENSHOTS if os.environ.get("UPDATE_SCREENSHOTS") == "1" else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    requests, failures = [], []
    pages = {
        "coordinator": [
            ("reminders", "/reminders/"),
            ("reminder-new", f"/reminders/new/?assignments={scene['lead'].pk}"),
            ("reminder-detail", f"/reminders/{scene['reminder'].pk}/"),
            ("task-sign-off", f"/tasks/{scene['lead'].task_id}/"),
            ("inspections", "/inspections/"),
            ("inspection-new", "/inspections/new/"),
            ("inspection-detail", f"/inspections/{scene['inspection'].pk}/"),
            ("checklists-queue", "/checklists/confirm/"),
            ("checklists-bureau", "/checklists/"),
        ],
        "staff": [
            ("home-reminders", "/"),
            ("assignment-reminders", f"/assignments/{scene['lead'].pk}/"),
        ],
        "county": [("checklists-county", "/checklists/"), ("home-county", "/")],
    }
    for who, paths in pages.items():
        context = new_context(**options)
        context.on("request", lambda r: requests.append(r.url))
        context.on("requestfailed", lambda r: failures.append((r.url, r.failure)))
        context.on("response", lambda r: r.status >= 400 and failures.append((r.url, r.status)))
        page = login(context.new_page(), scene[who])
        for name, path in paths:
            _fits(page, path)
            page.screenshot(path=folder / f"{name}-{device}.png")  # what one sees first

    outside = [url for url in requests if not url.startswith(live_server.url + "/")]
    assert not outside, f"requests outside the intranet server: {outside}"
    assert not failures, f"failed requests: {failures}"
