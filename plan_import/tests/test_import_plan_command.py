"""`manage.py import_plan`: JSON and nothing else on stdout, a Chinese summary, refusals."""

import io
import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

SEED = settings.BASE_DIR / "fixtures" / "source" / "plan_2018.txt"
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


def test_without_dry_run_it_refuses_and_saves_nothing():
    out = io.StringIO()
    with pytest.raises(CommandError, match="审核页面"):
        call_command("import_plan", str(SEED), stdout=out)
    assert out.getvalue() == ""


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"", "文件是空的"),
        ("picture.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        ("plan.docx", b"not a zip at all", "不是有效的 Word 文档"),
        ("plan.pdf", b"%PDF-1.7", "不支持的文件类型"),
    ],
)
def test_bad_input_raises_the_readers_chinese_message_and_prints_nothing(
    tmp_path, name, data, message
):
    path = tmp_path / name
    path.write_bytes(data)
    out = io.StringIO()
    with pytest.raises(CommandError, match=message):
        call_command("import_plan", str(path), "--dry-run", "--json", stdout=out)
    assert out.getvalue() == ""


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
