"""accounts.services: account_create, accounts_import_csv, and the two commands."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from accounts.models import User, UserRole
from accounts.services import account_create, accounts_import_csv
from departments.models import Department

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "Xiang-Zhen-2019"


def department(short_name: str) -> Department:
    return Department.objects.get(short_name=short_name)


def csv_upload(text: str, *, bom: bool = False, encoding: str = "utf-8") -> SimpleUploadedFile:
    content = ("\ufeff" if bom else "") + text
    return SimpleUploadedFile("accounts.csv", content.encode(encoding), content_type="text/csv")


# --- account_create ------------------------------------------------------------------


def test_account_create_makes_a_staff_account_of_a_department():
    user = account_create(
        username="bianban_wang",
        department=department("市编办"),
        role=UserRole.STAFF,
        password=GOOD_PASSWORD,
    )

    user.refresh_from_db()
    assert user.department.short_name == "市编办"
    assert user.role == UserRole.STAFF
    assert user.check_password(GOOD_PASSWORD)
    assert not user.is_staff
    assert not user.is_superuser
    assert user.history.count() == 1


def test_account_create_records_who_created_the_account():
    creator = account_create(
        username="minzheng_a", department=department("市民政局"), role="coordinator",
        password=GOOD_PASSWORD,
    )  # fmt: skip

    user = account_create(
        username="leader_b",
        department=None,
        role=UserRole.VIEWER,
        password=GOOD_PASSWORD,
        by=creator,
    )

    assert user.history.get().history_user == creator


def test_only_coordinators_get_admin_access():
    coordinator = account_create(
        username="minzheng_li", department=department("市民政局"), role=UserRole.COORDINATOR,
        password=GOOD_PASSWORD,
    )  # fmt: skip
    reviewer = account_create(
        username="caizheng_zhao", department=department("市财政局"), role=UserRole.REVIEWER,
        password=GOOD_PASSWORD,
    )  # fmt: skip
    viewer = account_create(
        username="leader_sun", department=None, role=UserRole.VIEWER, password=GOOD_PASSWORD
    )

    assert coordinator.is_staff
    assert not reviewer.is_staff
    assert not viewer.is_staff


@pytest.mark.parametrize("weak", ["12345678", "password", "short1", "bianban_wang1"])
def test_account_create_refuses_a_weak_password(weak):
    with pytest.raises(ValidationError) as refused:
        account_create(
            username="bianban_wang", department=department("市编办"), role=UserRole.STAFF,
            password=weak,
        )  # fmt: skip

    assert "password" in refused.value.message_dict
    assert not User.objects.filter(username="bianban_wang").exists()


def test_account_create_refuses_staff_without_department():
    with pytest.raises(ValidationError) as refused:
        account_create(
            username="nobody_staff", department=None, role=UserRole.STAFF, password=GOOD_PASSWORD
        )

    assert refused.value.message_dict["department"] == ["经办人和审核人必须属于一个单位。"]
    assert not User.objects.filter(username="nobody_staff").exists()


@pytest.mark.parametrize("role", [UserRole.STAFF, UserRole.REVIEWER, UserRole.VIEWER])
@pytest.mark.parametrize("collective", ["各县(区)人民政府", "相关部门"])
def test_account_create_refuses_a_collective_department(role, collective):
    with pytest.raises(ValidationError) as refused:
        account_create(
            username="county_staff", department=department(collective), role=role,
            password=GOOD_PASSWORD,
        )  # fmt: skip

    assert "集合称谓" in refused.value.message_dict["department"][0]
    assert not User.objects.filter(username="county_staff").exists()


def test_account_create_refuses_an_unknown_role():
    with pytest.raises(ValidationError) as refused:
        account_create(
            username="boss", department=department("市编办"), role="boss", password=GOOD_PASSWORD
        )

    assert "未知角色" in refused.value.message_dict["role"][0]
    assert not User.objects.filter(username="boss").exists()


def test_account_create_refuses_a_username_taken_in_other_letter_case():
    account_create(
        username="Bianban", department=department("市编办"), role=UserRole.STAFF,
        password=GOOD_PASSWORD,
    )  # fmt: skip

    with pytest.raises(ValidationError) as refused:
        account_create(
            username="bianban", department=department("市编办"), role=UserRole.STAFF,
            password=GOOD_PASSWORD,
        )  # fmt: skip

    assert "已存在" in refused.value.message_dict["username"][0]


# --- accounts_import_csv ---------------------------------------------------------------

GOOD_CSV = (
    "username,department,role,password\n"
    "bianban_zhang,市编办,staff,Chu-Shi-Mima-2019\n"
    "bianban_li,市编办,审核人,Chu-Shi-Mima-2020\n"
    "pingding_wu,平定县政府,staff,Chu-Shi-Mima-2021\n"
    "leader_zhou,,viewer,Chu-Shi-Mima-2022\n"
)


def test_csv_import_creates_every_row():
    coordinator = User.objects.create(username="importer", role=UserRole.COORDINATOR)

    users = accounts_import_csv(file=csv_upload(GOOD_CSV), by=coordinator)

    assert [u.username for u in users] == [
        "bianban_zhang",
        "bianban_li",
        "pingding_wu",
        "leader_zhou",
    ]
    created = {u.username: u for u in User.objects.filter(pk__in=[u.pk for u in users])}
    assert created["bianban_li"].role == UserRole.REVIEWER  # the Chinese role name works too
    assert created["pingding_wu"].department.short_name == "平定县人民政府"  # found by alias
    assert created["leader_zhou"].department is None
    assert created["bianban_zhang"].check_password("Chu-Shi-Mima-2019")
    assert created["bianban_zhang"].history.get().history_user == coordinator


def test_csv_import_with_one_bad_row_creates_none_and_names_the_row():
    text = (
        "username,department,role,password\n"
        "bianban_zhang,市编办,staff,Chu-Shi-Mima-2019\n"
        "county_staff,各县(区)人民政府,staff,Chu-Shi-Mima-2020\n"
        "caizheng_qian,市财政局,staff,Chu-Shi-Mima-2021\n"
    )

    with pytest.raises(ValidationError) as refused:
        accounts_import_csv(file=csv_upload(text), by=None)

    assert len(refused.value.messages) == 1
    assert refused.value.messages[0].startswith("第3行：")
    assert "集合称谓" in refused.value.messages[0]
    assert not User.objects.filter(
        username__in=["bianban_zhang", "county_staff", "caizheng_qian"]
    ).exists()


def test_csv_import_lists_every_bad_row():
    text = (
        "username,department,role,password\n"
        "bianban_zhang,市编办,staff,123\n"
        "ghost,市不存在局,staff,Chu-Shi-Mima-2020\n"
        "caizheng_qian,市财政局,boss,Chu-Shi-Mima-2021\n"
        "bianban_zhang,市编办,staff,Chu-Shi-Mima-2022\n"
    )

    with pytest.raises(ValidationError) as refused:
        accounts_import_csv(file=csv_upload(text), by=None)

    messages = refused.value.messages
    assert any(m.startswith("第2行：密码") for m in messages)
    assert "第3行：所属单位：找不到单位“市不存在局”，请填写单位简称或别名。" in messages
    assert not any(m.startswith("第3行：所属单位：经办人") for m in messages)
    assert any(m.startswith("第4行：角色：未知角色“boss”") for m in messages)
    assert "第5行：用户名“bianban_zhang”与第2行重复。" in messages
    assert (
        User.objects.filter(username__in=["bianban_zhang", "ghost", "caizheng_qian"]).count() == 0
    )


def test_csv_import_refuses_a_username_that_already_exists():
    User.objects.create(username="bianban_zhang", role=UserRole.VIEWER)

    with pytest.raises(ValidationError) as refused:
        accounts_import_csv(file=csv_upload(GOOD_CSV), by=None)

    assert refused.value.messages == ["第2行：用户名：用户名“bianban_zhang”已存在。"]
    assert not User.objects.filter(username="bianban_li").exists()


def test_csv_import_reads_a_file_with_byte_order_mark():
    users = accounts_import_csv(file=csv_upload(GOOD_CSV, bom=True), by=None)

    assert len(users) == 4
    assert users[0].username == "bianban_zhang"


def test_csv_import_reads_windows_line_endings_and_text_files():
    users = accounts_import_csv(file=io.StringIO(GOOD_CSV.replace("\n", "\r\n")), by=None)

    assert len(users) == 4


def test_csv_import_refuses_a_file_not_in_utf8():
    with pytest.raises(ValidationError) as refused:
        accounts_import_csv(file=csv_upload(GOOD_CSV, encoding="gbk"), by=None)

    assert "UTF-8" in refused.value.messages[0]
    assert not User.objects.filter(username="bianban_zhang").exists()


def test_csv_import_refuses_a_file_without_the_header_row():
    with pytest.raises(ValidationError) as refused:
        accounts_import_csv(
            file=csv_upload("bianban_zhang,市编办,staff,Chu-Shi-Mima-2019\n"), by=None
        )

    assert refused.value.messages[0].startswith("第1行应为表头")


def test_csv_import_refuses_a_file_with_only_the_header():
    with pytest.raises(ValidationError, match="没有账号"):
        accounts_import_csv(file=csv_upload("username,department,role,password\n"), by=None)


# --- create_account ---------------------------------------------------------------------


def test_create_account_command_creates_the_account():
    out = io.StringIO()

    call_command(
        "create_account", "caizheng_zhou", "--department", "市财政局", "--role", "reviewer",
        "--password", GOOD_PASSWORD, stdout=out,
    )  # fmt: skip

    user = User.objects.get(username="caizheng_zhou")
    assert user.role == UserRole.REVIEWER
    assert user.department.short_name == "市财政局"
    assert user.check_password(GOOD_PASSWORD)
    assert "caizheng_zhou" in out.getvalue()


def test_create_account_command_refuses_an_unknown_department():
    with pytest.raises(CommandError, match="市不存在局"):
        call_command(
            "create_account", "x_staff", "--department", "市不存在局", "--role", "staff",
            "--password", GOOD_PASSWORD,
        )  # fmt: skip

    assert not User.objects.filter(username="x_staff").exists()


def test_create_account_command_reports_why_an_account_is_refused():
    with pytest.raises(CommandError) as refused:
        call_command(
            "create_account", "x_staff", "--role", "staff", "--password", "123",
        )  # fmt: skip

    message = str(refused.value)
    assert "所属单位：经办人和审核人必须属于一个单位。" in message
    assert "密码：" in message
    assert not User.objects.filter(username="x_staff").exists()


def test_create_account_command_refuses_an_unknown_role():
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("create_account", "x_boss", "--role", "boss", "--password", GOOD_PASSWORD)


# --- create_demo_accounts -----------------------------------------------------------

DEMO_USERNAMES = {
    "admin",
    "bianban_staff",
    "bianban_reviewer",
    "caizheng_staff",
    "minzheng_coord",
    "pingding_staff",
    "pingding_reviewer",
    "leader_viewer",
}


@pytest.fixture
def debug_on(settings):
    settings.DEBUG = True


def test_create_demo_accounts_creates_the_demo_users(debug_on, monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    out = io.StringIO()

    call_command("create_demo_accounts", stdout=out)

    users = {u.username: u for u in User.objects.filter(username__in=DEMO_USERNAMES)}
    assert set(users) == DEMO_USERNAMES
    assert users["admin"].is_superuser and users["admin"].is_staff
    assert users["admin"].role == UserRole.COORDINATOR
    assert users["admin"].department.short_name == "市民政局"
    assert users["pingding_staff"].department.short_name == "平定县人民政府"
    assert users["pingding_reviewer"].role == UserRole.REVIEWER
    assert users["pingding_reviewer"].department.short_name == "平定县人民政府"
    assert users["leader_viewer"].department is None
    assert users["minzheng_coord"].is_staff and not users["minzheng_coord"].is_superuser
    assert not users["bianban_staff"].is_staff
    assert all(u.check_password("Demo-Pass-2018") for u in users.values())
    printed = out.getvalue()
    assert "Demo-Pass-2018" in printed
    assert "http://127.0.0.1:8000/" in printed
    assert all(name in printed for name in DEMO_USERNAMES)


def test_create_demo_accounts_is_idempotent_and_leaves_existing_users_alone(debug_on):
    call_command("create_demo_accounts", stdout=io.StringIO())
    changed = User.objects.get(username="bianban_staff")
    changed.set_password("Changed-Later-2020")
    changed.save()
    history_rows = User.history.count()

    out = io.StringIO()
    call_command("create_demo_accounts", stdout=out)

    assert User.objects.filter(username__in=DEMO_USERNAMES).count() == len(DEMO_USERNAMES)
    assert User.objects.get(username="bianban_staff").check_password("Changed-Later-2020")
    assert User.history.count() == history_rows
    assert "新建" not in out.getvalue().replace("已存在", "")


def test_create_demo_accounts_uses_demo_password_from_environment(debug_on, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "Other-Demo-Pass-77")

    call_command("create_demo_accounts", stdout=io.StringIO())

    assert User.objects.get(username="leader_viewer").check_password("Other-Demo-Pass-77")


def test_create_demo_accounts_refuses_to_run_without_debug(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="--force"):
        call_command("create_demo_accounts", stdout=io.StringIO())

    assert not User.objects.filter(username="admin").exists()


def test_weak_password_is_explained_in_chinese():
    with pytest.raises(ValidationError) as refused:
        account_create(
            username="bianban_wang", department=department("市编办"), role=UserRole.STAFF,
            password="1234",
        )  # fmt: skip

    assert refused.value.message_dict["password"] == [
        "密码太短，至少需要 8 个字符。",
        "这个密码太常见了。",
        "密码只包含数字。",
    ]
