"""Generating a period's summary from the database: the Word and Excel files say what the rows say.

Reports of 2019H1 are written with historical dates on the real plan; every
figure the test checks is counted here again from the model rows, independently
of the collector's queries.
"""

import re
from collections import Counter, defaultdict
from datetime import date, datetime
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from accounts.models import UserRole
from core.errors import ConflictError
from departments.models import Department
from reports import services as report_services
from reports.models import ProgressReport, ReportingPeriod
from summaries import services
from summaries.models import SummaryVersion
from tasks.models import Assignment
from tests.factories import DepartmentFactory, ProgressReportFactory, UserFactory

pytestmark = pytest.mark.django_db
State, Status = ProgressReport.State, ProgressReport.Status

COPIED_TEXT = "已完成乡镇综合执法改革方案初稿，明确下放执法事项二十三项，组织三次业务培训，覆盖全部乡镇执法人员。"


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time().replace(hour=15)))


def _approved(assignment, period, *, status, percent, progress, day):
    return ProgressReportFactory(
        assignment=assignment,
        period=period,
        status=status,
        percent=percent,
        progress=progress,
        problems="执法力量不足" if status == Status.BLOCKED else "",
        next_steps="继续推进",
        state=State.APPROVED,
        reviewed_at=_at(day),
        submitted_at=_at(day),
    )


@pytest.fixture
def half_year(plan, settings, tmp_path):
    """A few bodies report on 2019H1 (one copies its 2018H2 text); a draft does not count."""
    settings.MEDIA_ROOT = tmp_path / "media"
    h1 = ReportingPeriod.objects.get(plan=plan, code="2019H1")
    h2_2018 = ReportingPeriod.objects.get(plan=plan, code="2018H2")
    share = {
        (a.task.code, a.department.short_name): a
        for a in Assignment.objects.filter(task__plan=plan).select_related("task", "department")
    }
    _approved(
        share["三(一)2-1", "市编办"],
        h1,
        status=Status.IN_PROGRESS,
        percent=40,
        progress="起草执法改革方案，征求意见两轮。",
        day=date(2019, 6, 20),
    )
    _approved(
        share["三(二)1-1", "平定县人民政府"],
        h1,
        status=Status.COMPLETED,
        percent=100,
        progress="已制定乡镇公共服务事项指导目录清单并印发实施。",
        day=date(2019, 7, 2),
    )
    _approved(
        share["三(二)1-1", "盂县人民政府"],
        h1,
        status=Status.BLOCKED,
        percent=20,
        progress="目录清单初稿完成，因机构调整暂缓。",
        day=date(2019, 7, 8),
    )
    _approved(
        share["三(一)1-2", "市民政局"],
        h2_2018,
        status=Status.IN_PROGRESS,
        percent=30,
        progress=COPIED_TEXT,
        day=date(2019, 1, 8),
    )
    _approved(
        share["三(一)1-2", "市民政局"],
        h1,
        status=Status.IN_PROGRESS,
        percent=35,
        progress=COPIED_TEXT.replace("三次", "四次"),
        day=date(2019, 7, 5),
    )
    ProgressReportFactory(  # a draft of 2019H1: never counted
        assignment=share["三(一)4-1", "市财政局"], period=h1, progress="草稿内容", state=State.DRAFT
    )
    report_services.lights_refresh(plan_ids=[plan.pk])
    return h1


def _generate(period) -> list[Path]:
    out = StringIO()
    call_command("generate_summary", period.code, stdout=out)
    return [Path(line) for line in out.getvalue().splitlines()]


def _docx_text(path: Path) -> str:
    document = Document(path)
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _bodies_with_assignments(plan):
    return Department.objects.filter(
        assignments__task__plan=plan, assignments__is_active=True
    ).distinct()


def test_the_command_prints_the_paths_of_the_files_it_wrote(half_year):
    paths = _generate(half_year)

    assert [p.suffix for p in paths] == [".gz", ".docx", ".xlsx"]
    assert all(p.is_file() for p in paths)
    assert not list(paths[0].parent.glob("*.part"))
    version = SummaryVersion.objects.get()
    assert (version.status, version.trigger, version.progress) == ("done", "command", 100)
    assert len(version.data_checksum) == 64


def test_the_word_file_names_every_county_and_department_with_its_figures(plan, half_year):
    text = _docx_text(_generate(half_year)[1])

    roles = defaultdict(Counter)
    for department, role in Assignment.objects.filter(task__plan=plan, is_active=True).values_list(
        "department__short_name", "role"
    ):
        roles[department][role] += 1
    labels = {"lead": "牵头", "support": "配合", "responsible": "负责", "guide": "指导"}
    for body in _bodies_with_assignments(plan):
        counted = roles[body.short_name]
        assert f"{body.short_name}共承办任务{sum(counted.values())}项" in text, body
        for role, n in counted.items():
            assert f"{labels[role]}{n}项" in text
    # The period's approved reports, and nothing of the draft.
    assert "起草执法改革方案，征求意见两轮。" in text
    assert "草稿内容" not in text
    approved = ProgressReport.objects.filter(period=half_year, state=State.APPROVED).count()
    assert f"本期共审核通过进展报告{approved}份" in text
    assert "平均完成进度40%" in text  # 市编办: one approved report at 40 %


def test_the_word_file_flags_the_copied_report_with_its_similarity(half_year):
    text = _docx_text(_generate(half_year)[1])

    assert "疑似应付式填报" in text
    flagged = re.search(
        r"市民政局.*?(\d{2,3}(?:\.\d)?%)", text[text.index("疑似应付式填报") :], re.S
    )
    assert flagged, text[text.index("疑似应付式填报") :][:500]
    assert float(flagged.group(1).rstrip("%")) >= 90


def test_the_excel_ledger_has_the_database_row_for_row(plan, half_year):
    workbook = load_workbook(_generate(half_year)[2], read_only=True)
    sheet = workbook[workbook.sheetnames[0]]
    rows = list(sheet.iter_rows(values_only=True))
    header, body = rows[0], [r for r in rows[1:] if any(r)]
    column = {name: i for i, name in enumerate(header)}

    assignments = Assignment.objects.filter(task__plan=plan, is_active=True)
    assert len(body) == assignments.count()
    latest = {}
    for report in ProgressReport.objects.filter(period=half_year, state=State.APPROVED).order_by(
        "reviewed_at"
    ):
        latest[report.assignment_id] = report
    expected = Counter()
    for a in assignments.select_related("task", "department"):
        report = latest.get(a.pk)
        progress = report.progress if report else "本期未报送"
        expected[(a.task.code, a.department.short_name, progress)] += 1
    seen = Counter(
        (r[column["任务编号"]], r[column["承办单位"]], r[column["最新进展"]]) for r in body
    )
    assert seen == expected


def test_collecting_costs_the_same_queries_whatever_the_number_of_bodies(plan, half_year):
    def queries() -> int:
        version = services.summary_generate_request(
            plan=plan, period=half_year, by=None, trigger=SummaryVersion.Trigger.COMMAND
        )
        with CaptureQueriesContext(connection) as captured:
            services.summary_generate(version_id=version.pk)
        return len(captured)

    before = queries()
    # Forty more bodies, each with a share of the collective clause 三(二)1-1.
    collective = Department.objects.get(short_name="各县(区)人民政府")
    county = Department.objects.get(short_name="平定县人民政府")
    for n in range(40):
        body = DepartmentFactory(
            kind=Department.Kind.COUNTY_GOVERNMENT,
            region=county.region,
            short_name=f"测试县{n}人民政府",
        )
        collective.members.add(body)
    from tasks.services import assignments_sync

    assert assignments_sync(plan=plan) >= 40
    report_services.lights_refresh(stale_only=True)
    assert queries() == before


def test_a_generation_is_queued_after_commit_and_run_by_the_job(
    plan, half_year, django_capture_on_commit_callbacks
):
    coordinator = UserFactory(role=UserRole.COORDINATOR, department=None)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        version = services.summary_generate_request(
            plan=plan, period=half_year, by=coordinator, trigger=SummaryVersion.Trigger.PAGE
        )
        assert version.status == "queued"
    assert len(callbacks) == 1
    version.refresh_from_db()
    assert version.is_done and version.requested_by == coordinator


def test_a_failing_job_marks_the_version_failed_with_the_reason(plan, half_year, monkeypatch):
    from summaries import tasks

    def broken(**kwargs):
        raise ValueError("磁盘已满")

    monkeypatch.setattr(tasks.services, "summary_generate", broken)
    version = services.summary_generate_request(
        plan=plan, period=half_year, by=None, trigger=SummaryVersion.Trigger.SCHEDULE
    )
    result = tasks.summary_generate_task.apply(args=[version.pk], throw=False)
    assert result.failed()
    version.refresh_from_db()
    assert version.status == "failed"
    assert "磁盘已满" in version.error


def test_narrative_edits_render_the_word_file_again_and_submitting_freezes_it(
    plan, half_year, settings
):
    coordinator = UserFactory(role=UserRole.COORDINATOR, department=None)
    _generate(half_year)
    version = SummaryVersion.objects.get()

    version = services.summary_narrative_update(
        version=version,
        by=coordinator,
        narrative_version=0,
        overview="上半年各地各部门按照方案要求稳步推进。",
        problems="个别县区进度滞后。",
        next_steps="下半年全面推开。",
    )
    services.summary_render(version_id=version.pk)
    text = _docx_text(Path(settings.MEDIA_ROOT) / version.docx_file)
    assert "上半年各地各部门按照方案要求稳步推进。" in text

    services.summary_submit(version=version, by=coordinator)
    version.refresh_from_db()
    assert version.is_submitted and version.summary.submitted_version == version
    with pytest.raises(ConflictError):
        services.summary_narrative_update(
            version=version, by=coordinator, narrative_version=1, overview="改动"
        )


def test_open_inspection_findings_are_in_the_summary_and_not_counted_as_plan_work(plan, half_year):
    from supervision import services as supervision

    coordinator = UserFactory(
        role=UserRole.COORDINATOR, department=Department.objects.get(short_name="市民政局")
    )
    with time_machine.travel(_at(date(2019, 5, 20)), tick=False):
        _inspect(supervision, plan, coordinator)
    plan_shares = Assignment.objects.from_plan().filter(task__plan=plan, is_active=True).count()

    text = _docx_text(_generate(half_year)[1])

    assert "便民服务中心未实现全覆盖，需限期整改" in text
    assert f"分解为各县(区)和市直各部门承办任务{plan_shares}项" in text


def _inspect(supervision, plan, coordinator):
    inspection = supervision.inspection_record(
        plan=plan,
        by=coordinator,
        inspected_on=date(2019, 5, 20),
        inspectors="张三、李四",
        departments=[Department.objects.get(short_name="盂县人民政府")],
        summary="实地督查",
    )
    supervision.finding_add(
        inspection=inspection,
        by=coordinator,
        text="便民服务中心未实现全覆盖，需限期整改",
        department=Department.objects.get(short_name="盂县人民政府"),
        deadline=date(2019, 9, 30),
    )
