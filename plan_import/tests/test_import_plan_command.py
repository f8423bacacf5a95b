"""`manage.py import_plan`: JSON and nothing else on stdout, a Chinese summary, refusals."""

import io
import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from plan_import.models import ImportedClause, PlanImport
from tasks.models import Assignment, Plan, Task

SEED = settings.BASE_DIR / "fixtures" / "source" / "plan_2018.txt"
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
CLAUSE_KEYS = ["code", "heading", "text", "lead", "support", "responsible", "guide", "scope"]


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_plan", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_json_dry_run_prints_one_json_object_and_nothing_else():
    out, err = run(
        str(SEED), "--title", "关于加强乡镇政府服务能力建设的实施方案", "--dry-run", "--json"
    )
    payload = json.loads(out)  # fails on anything before or after the object
    assert list(payload) == ["clauses"]
    assert len(payload["clauses"]) == 38
    assert all(list(entry) == CLAUSE_KEYS for entry in payload["clauses"])
    first = payload["clauses"][0]
    assert first["code"] == "三(一)1-1"
    assert first["heading"] == "推进服务管理扩权改革"
    assert first["lead"] == ["市编办"]
    assert err == ""


@pytest.mark.django_db
def test_json_verbose_adds_the_matched_detail():
    out, _err = run(str(SEED), "--dry-run", "--json", "--verbose")
    entry = next(e for e in json.loads(out)["clauses"] if e["code"] == "三(二)6-1")
    assert list(entry) == [*CLAUSE_KEYS, "matched"]
    assert entry["matched"]["市经信委〈国资委〉"] == "市经信委〈国资委〉"
    assert entry["matched"]["市政府办公厅"] == "市政府办公厅"


@pytest.mark.django_db
def test_dry_run_without_json_prints_a_chinese_summary_with_matches(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(
        "一、任务\n1.完善设施。改造服务大厅（市住建局牵头，市大数据局、阳泉市民政局配合）。\n2.加强宣传。营造氛围。"
    )
    out, _err = run(str(path), "--title", "测试方案", "--dry-run")
    assert "《测试方案》试运行解析结果（未保存）" in out
    assert "识别出 1 条责任条款" in out
    assert "牵头：市住建局〔已有〕" in out
    assert "市大数据局〔新单位，待确认〕" in out
    assert "阳泉市民政局〔已有：市民政局〕" in out
    assert "一2 未写明责任单位" in out


def _counts() -> dict:
    return {
        "imports": PlanImport.objects.count(),
        "clauses": ImportedClause.objects.count(),
        "plans": Plan.objects.count(),
        "tasks": Task.objects.count(),
        "assignments": Assignment.objects.count(),
    }


@pytest.mark.django_db
def test_without_dry_run_it_saves_a_draft_and_prints_its_review_page(coordinator):
    before = _counts()
    out, _err = run(
        str(SEED), "--title", "乡镇服务能力方案（导入）", "--user", coordinator.username
    )
    plan_import = PlanImport.objects.get()
    assert f"/plans/import/{plan_import.pk}/" in out
    assert "38 条责任条款" in out and "0 个单位待确认" in out
    assert plan_import.is_draft
    assert plan_import.title == "乡镇服务能力方案（导入）"
    assert plan_import.created_by == coordinator
    assert plan_import.clauses.count() == 38
    # Nothing is live: no plan, work item or share was created.
    after = _counts()
    assert {k: after[k] - before[k] for k in after} == {
        "imports": 1,
        "clauses": 38,
        "plans": 0,
        "tasks": 0,
        "assignments": 0,
    }


@pytest.mark.django_db
def test_without_dry_run_json_names_the_draft_and_keeps_the_clause_shape():
    out, _err = run(str(SEED), "--json")
    payload = json.loads(out)
    plan_import = PlanImport.objects.get()
    assert payload["import"] == plan_import.pk
    assert payload["review_url"] == f"/plans/import/{plan_import.pk}/"
    assert len(payload["clauses"]) == 38
    assert all(list(entry) == CLAUSE_KEYS for entry in payload["clauses"])
    assert plan_import.created_by is None  # the system, not a person


@pytest.mark.django_db
def test_saving_as_someone_who_is_not_a_coordinator_is_refused():
    from accounts.models import UserRole
    from tests.factories import UserFactory

    UserFactory(username="some_staff", role=UserRole.STAFF)
    with pytest.raises(CommandError, match="协调员"):
        run(str(SEED), "--user", "some_staff")
    assert PlanImport.objects.count() == 0


@pytest.mark.django_db
def test_a_document_without_any_clause_is_refused_and_nothing_is_saved(tmp_path):
    path = tmp_path / "notice.txt"
    path.write_text(
        "关于召开会议的通知\n一、会议时间\n2019年3月1日上午9时。\n二、参会人员\n各单位分管负责人。"
    )
    before = _counts()
    with pytest.raises(CommandError, match="没有识别到任何责任条款"):
        run(str(path))
    assert _counts() == before


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"", "文件是空的"),
        ("picture.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        ("plan.docx", b"not a zip at all", "不是有效的 Word 文档"),
        ("plan.pdf", b"%PDF-1.7", "不支持的文件类型"),
        ("scan.png", PNG_BYTES, "不支持的文件类型"),
    ],
)
@pytest.mark.django_db
@pytest.mark.parametrize("dry_run", [True, False], ids=["dry-run", "save"])
def test_bad_input_raises_the_readers_chinese_message_prints_nothing_and_saves_nothing(
    tmp_path, name, data, message, dry_run
):
    path = tmp_path / name
    path.write_bytes(data)
    out = io.StringIO()
    before = _counts()
    args = [str(path), "--json"] + (["--dry-run"] if dry_run else [])
    with pytest.raises(CommandError, match=message):
        call_command("import_plan", *args, stdout=out)
    assert out.getvalue() == ""
    assert _counts() == before


@pytest.mark.django_db
def test_a_50_mb_file_is_refused_without_saving(tmp_path):
    path = tmp_path / "plan.txt"
    with open(path, "wb") as f:
        f.truncate(50 * 1024 * 1024)
    before = _counts()
    with pytest.raises(CommandError, match="文件过大"):
        run(str(path))
    assert _counts() == before


def test_bad_input_exits_non_zero_with_an_empty_stdout(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "yangquan_tracker.settings.test"}
    result = subprocess.run(
        [sys.executable, "manage.py", "import_plan", str(path), "--dry-run", "--json"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert result.stdout == ""
    assert "文件是空的" in result.stderr
