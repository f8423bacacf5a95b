"""Production settings: `check --deploy` has nothing to say, and a served page carries the CSP,
HSTS and HTTPS-only cookies; each HTTPS default can be switched off for a plain-HTTP intranet."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def production_env(tmp_path, **overrides) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        # The test run's own settings must not leak into the production process.
        if not key.startswith(("DJANGO_", "SECURE_", "SSL_", "HSTS_", "CSP_"))
        and key not in ("DATABASE_URL", "DEBUG", "SECRET_KEY")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="yangquan_tracker.settings.production",
        IGNORE_DOTENV="true",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),  # 67 random characters
        DATABASE_URL=f"sqlite:///{tmp_path / 'production.sqlite3'}",
        ALLOW_SQLITE="true",
        MEDIA_ROOT=str(tmp_path / "media"),
    )
    env.update(overrides)
    return env


def run(args, env):
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def test_check_deploy_with_production_defaults_reports_no_issues(tmp_path):
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path)
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


# Serves pages with the production settings in a process of its own, and prints what it saw.
SERVE = r"""
import json, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.test import Client
from accounts.models import User
User.objects.create_user(username="clerk", password="Pass-word-123", role="viewer")
https = {"HTTP_X_FORWARDED_PROTO": "https", "SERVER_NAME": "127.0.0.1"}
client = Client()
page = client.get("/accounts/login/", **https)
login = client.post("/accounts/login/", {"username": "clerk", "password": "Pass-word-123"}, **https)
plain = Client().get("/accounts/login/", SERVER_NAME="127.0.0.1")
docs = client.get("/api/docs/", **https)
def cookie(response, name):
    c = response.cookies.get(name)
    return None if c is None else {"secure": bool(c["secure"]), "httponly": bool(c["httponly"]), "samesite": c["samesite"]}
print(json.dumps({
    "status": page.status_code,
    "csp": page.get("Content-Security-Policy"),
    "hsts": page.get("Strict-Transport-Security"),
    "nosniff": page.get("X-Content-Type-Options"),
    "frame": page.get("X-Frame-Options"),
    "csrf_cookie": cookie(page, "csrftoken"),
    "login_status": login.status_code,
    "session_cookie": cookie(login, "sessionid"),
    "plain_status": plain.status_code,
    "plain_location": plain.get("Location"),
    "docs_status": docs.status_code,
    "docs_csp": docs.get("Content-Security-Policy"),
    "docs_html": docs.content.decode(),
}))
"""


def serve(tmp_path, **overrides) -> dict:
    result = run(["-c", SERVE], production_env(tmp_path, **overrides))
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    return serve(tmp_path_factory.mktemp("production"))


def test_a_production_page_carries_the_content_security_policy(served):
    assert served["status"] == 200
    policy = dict((part.split()[0], part.split()[1:]) for part in served["csp"].split("; ") if part)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in served["csp"] and "'unsafe-eval'" not in served["csp"]


def test_a_production_page_carries_hsts_for_a_year_with_subdomains_and_preload(served):
    assert served["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert served["nosniff"] == "nosniff"
    assert served["frame"] == "DENY"


def test_production_cookies_are_https_only(served):
    assert served["csrf_cookie"]["secure"]
    assert served["login_status"] == 302
    assert served["session_cookie"] == {"secure": True, "httponly": True, "samesite": "Lax"}


def test_plain_http_is_redirected_to_https_behind_the_proxy(served):
    assert served["plain_status"] == 301
    assert served["plain_location"] == "https://127.0.0.1/accounts/login/"


def test_the_api_docs_page_has_no_inline_script_or_style(served):
    assert served["docs_status"] == 200
    html = served["docs_html"]
    assert "<style" not in html
    for tag in html.split("<script")[1:]:
        assert tag.split(">", 1)[0].strip().startswith("src="), tag[:80]
    assert served["docs_csp"] == served["csp"]


def test_a_plain_http_intranet_can_switch_every_https_default_off(tmp_path):
    served = serve(
        tmp_path,
        SECURE_COOKIES="false",
        SSL_REDIRECT="false",
        HSTS_SECONDS="0",
        CSP_ENABLED="false",
    )

    assert served["plain_status"] == 200
    assert served["hsts"] is None and served["csp"] is None
    assert served["session_cookie"]["secure"] is False
    assert served["csrf_cookie"]["secure"] is False
