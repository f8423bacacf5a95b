"""Pages and endpoints served by gunicorn at 5 counties and at N counties, side by side.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python benchmarks/scale.py \
        [--counties 300] [--requests 30] [--seconds 5] [--keep]

Creates a scratch PostgreSQL database on DATABASE_URL's server, loads the plan, the demo
history and the generator at 5 synthetic counties (`load_scale --counties 5`), serves
the app with gunicorn on 127.0.0.1 (2 sync workers, DEBUG off, persistent database
connections) and measures each operation: median and p95 at concurrency 1, and
requests per second at concurrency 4. Then grows the same database to N counties
(`load_scale --counties N`), restarts gunicorn and measures again. Prints one table
with the ratio N / 5 for each median. The database is dropped afterwards unless --keep.
"""

import argparse
import http.client
import json
import os
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


PORT = _free_port()  # never a port someone else's server listens on


def _server_url(url: str) -> str:
    return url.rpartition("/")[0]


def _create_database(base: str) -> tuple[str, str]:
    import psycopg2

    name = f"yq_bench_scale_{uuid.uuid4().hex[:8]}"
    connection = psycopg2.connect(f"{_server_url(base)}/postgres")
    connection.autocommit = True
    connection.cursor().execute(f'CREATE DATABASE "{name}"')
    connection.close()
    return f"{_server_url(base)}/{name}", name


def _drop_database(base: str, name: str) -> None:
    import psycopg2

    connection = psycopg2.connect(f"{_server_url(base)}/postgres")
    connection.autocommit = True
    connection.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    connection.close()


class Server:
    """gunicorn on 127.0.0.1, started and stopped by this script only."""

    def __init__(self, env: dict, workers: int):
        self.env, self.workers, self.process = env, workers, None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                str(ROOT / ".venv/bin/gunicorn"),
                "yangquan_tracker.wsgi",
                "--bind",
                f"127.0.0.1:{PORT}",
                "--workers",
                str(self.workers),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=self.env,
            start_new_session=True,
        )
        for _ in range(100):
            if self.process.poll() is not None:
                raise RuntimeError("gunicorn exited")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
                connection.request("GET", "/accounts/login/")
                connection.getresponse().read()
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def worker_rss_mb(self) -> float:
        """Largest resident memory of a worker (kB from /proc)."""
        children = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True
        ).stdout.split()
        sizes = []
        for pid in children:
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            for line in status.splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]) / 1024)
        return max(sizes, default=0.0)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def _request(method: str, path: str, cookies: dict, body: dict | None = None):
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()), "Host": "127.0.0.1"}
    payload = None
    if body is not None:
        payload = json.dumps(body).encode()
        headers.update({"Content-Type": "application/json", "X-CSRFToken": cookies["csrftoken"]})
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    started = time.perf_counter()
    connection.request(method, path, body=payload, headers=headers)
    response = connection.getresponse()
    content = response.read() or (response.getheader("Location") or "").encode()
    elapsed = (time.perf_counter() - started) * 1000
    connection.close()
    return response.status, content, elapsed


class Operation:
    def __init__(self, label, cookies, path, write_reports=None):
        self.label, self.cookies, self.path = label, cookies, path
        self.write_reports = write_reports  # [[report_id, version], ...] one per thread

    def once(self, slot: int = 0) -> float:
        if self.write_reports is None:
            status, content, elapsed = _request("GET", self.path, self.cookies)
        else:
            report = self.write_reports[slot]
            status, content, elapsed = _request(
                "PATCH",
                f"/api/v1/progress-reports/{report[0]}/",
                self.cookies,
                {"progress": f"基准测试写入 {secrets.token_hex(4)}", "version": report[1]},
            )
            if status == 200:
                report[1] = json.loads(content)["version"]
        if status != 200:
            raise RuntimeError(f"{self.label}: HTTP {status} for {self.path}: {content[:200]!r}")
        return elapsed


def _measure(operation: Operation, requests: int, seconds: float) -> dict:
    for _ in range(3):
        operation.once()
    times = sorted(operation.once() for _ in range(requests))
    done = [0] * 4
    stop_at = time.perf_counter() + seconds

    def run(slot):
        while time.perf_counter() < stop_at:
            operation.once(slot)
            done[slot] += 1

    threads = [threading.Thread(target=run, args=(slot,)) for slot in range(4)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        "median": statistics.median(times),
        "p95": times[max(0, int(round(0.95 * len(times))) - 1)],
        "rps4": sum(done) / (time.perf_counter() - started),
    }


def _prepare_operations() -> list[Operation]:
    """Sessions for the bureau's coordinator and a county's staff; the ids the URLs name."""
    from django.conf import settings
    from django.test import Client
    from django.utils.crypto import get_random_string

    from accounts.models import User
    from reports import services
    from reports.models import ProgressReport
    from tasks.models import Assignment, Task

    settings.ALLOWED_HOSTS = ["*"]

    def cookies_for(username):
        client = Client()
        client.force_login(User.objects.get(username=username))
        return {
            "sessionid": client.cookies[settings.SESSION_COOKIE_NAME].value,
            "csrftoken": get_random_string(32),
        }

    coordinator, staff = cookies_for("admin"), cookies_for("pingding_staff")
    staff_user = User.objects.get(username="pingding_staff")
    county = staff_user.department
    clause = Task.objects.get(code="三(二)1-1")  # every county government has a share
    history = (
        ProgressReport.objects.filter(assignment__department=county, state="approved")
        .order_by("-version", "pk")
        .first()
    )
    drafts = []
    for assignment in Assignment.objects.filter(department=county).order_by("pk"):
        if len(drafts) == 4:
            break
        report = services.open_report_of(assignment)
        if report is None:
            report = services.report_create(
                assignment=assignment,
                by=staff_user,
                status="in_progress",
                percent=10,
                progress="基准测试草稿",
            )
        if report.is_editable:
            drafts.append([report.pk, report.version])
    a = "/api/v1/assignments/"
    return [
        Operation("workbench home (county staff)", staff, "/"),
        Operation("workbench home (bureau)", coordinator, "/"),
        Operation("task page /tasks/<clause>/", coordinator, f"/tasks/{clause.pk}/"),
        Operation("plan page /plan/", coordinator, "/plan/"),
        Operation("dashboard /dashboard/", coordinator, "/dashboard/"),
        Operation("assignments ?department=", coordinator, f"{a}?department={county.pk}"),
        Operation("assignments ?light=red", coordinator, f"{a}?light=red"),
        Operation("assignments ?task=<clause>", coordinator, f"{a}?task={clause.pk}"),
        Operation("progress-reports (newest)", coordinator, "/api/v1/progress-reports/"),
        Operation(
            "one report with history (page)", coordinator, f"/assignments/{history.assignment_id}/"
        ),
        Operation("one report (API)", coordinator, f"/api/v1/progress-reports/{history.pk}/"),
        Operation("report write (PATCH)", staff, "", write_reports=drafts),
    ]


def _run_size(label: str, server: Server, requests: int, seconds: float) -> dict:
    from django.db import connections

    operations = _prepare_operations()
    connections.close_all()
    server.start()
    results = {}
    try:
        for operation in operations:
            try:
                results[operation.label] = _measure(operation, requests, seconds)
            except RuntimeError as error:
                if "404" in str(error):
                    results[operation.label] = None  # not built (the dashboard, for now)
                else:
                    raise
            shown = results[operation.label]
            print(
                f"  [{label}] {operation.label}: "
                + (
                    f"median {shown['median']:.0f} ms, p95 {shown['p95']:.0f} ms, "
                    f"{shown['rps4']:.1f} req/s at c=4"
                    if shown
                    else "not there"
                ),
                flush=True,
            )
        results["_rss"] = server.worker_rss_mb()
    finally:
        server.stop()
    return results


def _counts() -> str:
    from reports.models import ProgressReport
    from tasks.models import Assignment

    history = ProgressReport.history.model.objects.count()
    return (
        f"{Assignment.objects.count():,} assignments, {ProgressReport.objects.count():,} reports, "
        f"{history:,} report history rows"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--counties", type=int, default=300)
    parser.add_argument("--requests", type=int, default=30, help="requests per operation at c=1")
    parser.add_argument("--seconds", type=float, default=5, help="duration of the c=4 run")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args()
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL server (postgres://user@host:5432/db).")
    url, name = _create_database(base)
    print(f"scratch database {name}", flush=True)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "yangquan_tracker.settings.local",
        "IGNORE_DOTENV": "true",
        "DEBUG": "false",
        "DEMO_DATA_ALLOWED": "true",
        "SECRET_KEY": secrets.token_hex(32),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CONN_MAX_AGE": "60",
        "CELERY_TASK_ALWAYS_EAGER": "true",
        "MEDIA_ROOT": str(ROOT / "var" / "bench-media" / name),
    }
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    server = Server(env, args.workers)
    sizes = []
    try:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        call_command("load_plan", verbosity=0)
        call_command("create_demo_accounts", force=True, verbosity=0)
        call_command("load_demo", verbosity=0)
        call_command("load_scale", counties=5, verbosity=0)
        print(
            f"5 counties loaded in {time.perf_counter() - started:.0f} s: {_counts()}", flush=True
        )
        sizes.append(("5", _run_size("5", server, args.requests, args.seconds)))
        started = time.perf_counter()
        call_command("load_scale", counties=args.counties, verbosity=0)
        print(
            f"{args.counties} counties loaded in {time.perf_counter() - started:.0f} s: "
            f"{_counts()}",
            flush=True,
        )
        sizes.append(
            (str(args.counties), _run_size(str(args.counties), server, args.requests, args.seconds))
        )
    finally:
        server.stop()
        from django.db import connections

        connections.close_all()
        if not args.keep:
            _drop_database(base, name)
    _table(sizes, args.counties)


def _table(sizes, counties) -> None:
    (small_label, small), (big_label, big) = sizes
    print()
    print(
        f"| operation | median 5 | p95 5 | req/s c=4 at 5 | median {big_label} | p95 {big_label} "
        f"| req/s c=4 at {big_label} | median ratio {big_label}/5 |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for label in [k for k in small if not k.startswith("_")]:
        a, b = small[label], big.get(label)
        if not a or not b:
            print(f"| {label} | — | — | — | — | — | — | not there |")
            continue
        print(
            f"| {label} | {a['median']:.0f} ms | {a['p95']:.0f} ms | {a['rps4']:.1f} "
            f"| {b['median']:.0f} ms | {b['p95']:.0f} ms | {b['rps4']:.1f} "
            f"| {b['median'] / a['median']:.2f} |"
        )
    print(
        f"\nlargest gunicorn worker RSS: {small['_rss']:.0f} MB at 5, {big['_rss']:.0f} MB at {counties}"
    )


if __name__ == "__main__":
    main()
