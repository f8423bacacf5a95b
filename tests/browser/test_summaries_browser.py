"""A coordinator generates a semi-annual summary in real Chromium, watches it, edits it, submits it.

A real Celery worker runs in a thread of the test process, on the broker the
settings give (Redis in CI, the filesystem transport without REDIS_URL): the page
shows the version queued, the worker is started, and the progress bar (htmx, no
reload) moves on to done; the page then reloads with the downloads.
"""

import re

import pytest
from celery import current_app
from celery.contrib.testing.worker import start_worker
from django.db import connections
from docx import Document
from openpyxl import load_workbook
from playwright.sync_api import expect

from accounts.models import UserRole
from departments.models import Department
from summaries.models import SummaryVersion
from tests.browser.conftest import login
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def broker(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    app = current_app
    app.conf.task_always_eager = False
    app.control.purge()  # nothing left over from another run on the default queue
    yield app
    app.conf.task_always_eager = True


def test_coordinator_generates_watches_edits_submits_and_downloads(
    loaded_plan_db, new_context, broker, tmp_path
):
    coordinator = UserFactory(
        username="minzheng_coord",
        role=UserRole.COORDINATOR,
        department=Department.objects.get(short_name="市民政局"),
    )
    page = login(new_context(accept_downloads=True).new_page(), coordinator)

    page.goto("/summaries/")
    page.locator('tr[data-period="2019H1"]').get_by_test_id("generate").click()
    expect(page).to_have_url(re.compile(r"/summaries/\d+/$"))
    progress = page.get_by_test_id("progress")
    expect(progress).to_have_attribute("data-status", "queued")  # no worker yet
    seen = {page.get_by_test_id("progress-percent").inner_text()}

    with start_worker(broker, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        # htmx polls every second; when the job ends the page reloads with the downloads.
        try:
            page.get_by_test_id("download-docx").wait_for(timeout=180_000)
        except Exception:
            version = SummaryVersion.objects.get()
            raise AssertionError((version.status, version.stage, version.error)) from None
        seen.add(page.get_by_test_id("progress-percent").inner_text())
        expect(page.get_by_test_id("progress")).to_have_attribute("data-status", "done")
        assert "0%" in seen and "100%" in seen

        page.get_by_label("总体情况").fill("上半年，各县(区)和市直各部门按照方案要求稳步推进。")
        page.get_by_label("存在的主要问题").fill("个别单位报送不及时。")
        page.get_by_label("下半年工作打算").fill("下半年在全市推开。")
        page.get_by_test_id("save-narrative").click()
        expect(page.get_by_role("alert").filter(has_text="已保存正文")).to_be_visible()
        version = SummaryVersion.objects.get()
        # The Word file is rendered again by the worker; wait for the new text in it.
        for _attempt in range(60):
            with page.expect_download() as download:
                page.get_by_test_id("download-docx").click()
            docx_path = tmp_path / "summary.docx"
            download.value.save_as(docx_path)
            if "稳步推进" in "\n".join(p.text for p in Document(docx_path).paragraphs):
                break
            page.wait_for_timeout(500)
        else:
            raise AssertionError("the edited overview never reached the Word file")

    with page.expect_download() as download:
        page.get_by_test_id("download-xlsx").click()
    xlsx_path = tmp_path / "ledger.xlsx"
    download.value.save_as(xlsx_path)
    ledger = load_workbook(xlsx_path, read_only=True)
    assert ledger.sheetnames[0] in ("全市汇总", "全部任务")

    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("submitted")).to_be_visible()
    version.refresh_from_db()
    assert version.is_submitted and version.submitted_by == coordinator
    expect(page.get_by_test_id("narrative-form")).to_have_count(0)  # frozen
    connections.close_all()
