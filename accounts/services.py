"""Writes for accounts (creation, CSV import, the coordinator group, password reset links).

Who manages which account (the admin and these services both follow it):

- a superuser manages every account, and alone grants superuser or staff
  status, groups and permissions, or the coordinator role;
- a coordinator manages the accounts of bodies (staff, reviewers, viewers):
  creates them, corrects names, departments and roles among those three,
  deactivates them and issues one-time password reset links for them. A
  coordinator neither sees nor changes a superuser's or another coordinator's
  account, and cannot make anyone a coordinator (that grants admin rights).
"""

import csv
import io

from django.contrib.auth import password_validation
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from core.errors import PermissionDenied
from core.security import security_log
from core.services import record_actor
from departments.models import Department
from departments.services import department_resolve_name

from .models import User, UserRole

# --- Who manages whom ----------------------------------------------------------

BODY_ROLES = (UserRole.STAFF, UserRole.REVIEWER, UserRole.VIEWER)


def is_privileged(user: User) -> bool:
    """An account with admin rights: only a superuser manages it."""
    return bool(user.is_superuser or user.is_staff or user.role == UserRole.COORDINATOR)


def may_manage_account(by, user: User | None = None) -> bool:
    """Whether `by` may create (user None) or change `user` in the admin."""
    if by is None or not by.is_authenticated or not by.is_active:
        return False
    if by.is_superuser:
        return True
    if by.role != UserRole.COORDINATOR:
        return False
    return user is None or not is_privileged(user)


def accounts_manageable_by(by, queryset: QuerySet[User] | None = None) -> QuerySet[User]:
    """The accounts `by` may see and change in the admin."""
    queryset = User.objects.all() if queryset is None else queryset
    if by.is_superuser:
        return queryset
    if not may_manage_account(by):
        return queryset.none()
    return queryset.filter(is_superuser=False, is_staff=False, role__in=BODY_ROLES)


def roles_assignable_by(by) -> list[tuple[str, str]]:
    if by is not None and by.is_superuser:
        return list(UserRole.choices)
    return [(code, label) for code, label in UserRole.choices if code in BODY_ROLES]


# --- Accounts ----------------------------------------------------------------

CSV_COLUMNS = ("username", "department", "role", "password")
# Each password is hashed on import, and the production hasher is slow on purpose
# (about half a second each); a file larger than this would time out the request.
CSV_MAX_ROWS = 300


def _role_from(value: str) -> str | None:
    """A role from its code (staff) or its Chinese label (经办人); None if neither."""
    value = (value or "").strip()
    if value in UserRole.values:
        return value
    for code, label in UserRole.choices:
        if value == str(label):
            return code
    return None


def _account_build(
    *, username: str, department: Department | None, role: str, password: str
) -> User:
    """An unsaved, validated user (password not yet hashed), or a ValidationError by field."""
    errors: dict[str, list[str]] = {}
    role_code = _role_from(role)
    if role_code is None:
        errors["role"] = [
            _("未知角色“%(role)s”，可选：%(choices)s。")
            % {
                "role": role,
                "choices": "、".join(f"{code}({label})" for code, label in UserRole.choices),
            }
        ]
    if department is not None and department.is_collective:
        # The model refuses this for staff and reviewers; no role can act for a wording.
        errors["department"] = [_("账号不能属于集合称谓，请选择具体单位。")]
    user = User(
        username=(username or "").strip(),
        department=department,
        role=role_code or role,
        is_staff=role_code == UserRole.COORDINATOR,
    )
    if not password:
        errors["password"] = [_("密码不能为空。")]
    else:
        try:
            password_validation.validate_password(password, user=user)
        except ValidationError as error:
            errors["password"] = list(error.messages)
    if user.username and User.objects.filter(username__iexact=user.username).exists():
        errors["username"] = [_("用户名“%(username)s”已存在。") % {"username": user.username}]
    try:
        user.full_clean(exclude=["password", *errors])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, messages)
    if errors:
        raise ValidationError(errors)
    return user


COORDINATOR_GROUP = "协调员"
# What the bureau's coordinators may do in the admin. Reports and evidence are
# read-only there: their writes go through the workbench's rules.
COORDINATOR_PERMISSIONS = {
    "accounts": {"user": ("view", "add", "change")},
    "departments": {
        "region": ("view", "add", "change"),
        "department": ("view", "add", "change"),
        "departmentalias": ("view", "add", "change"),
    },
    "tasks": {
        "plan": ("view", "change"),
        "task": ("view", "change"),
        "responsibility": ("view", "add", "change"),
        "assignment": ("view", "change"),
        "target": ("view", "add", "change"),
    },
    "milestones": {"milestone": ("view", "change"), "checklistline": ("view", "add", "change")},
    "reports": {
        "reportingperiod": ("view", "add", "change"),
        "progressreport": ("view",),
        "evidence": ("view",),
    },
}


def coordinator_group() -> Group:
    """The group that gives coordinators their admin rights (kept in step with the list above)."""
    group, _created = Group.objects.get_or_create(name=COORDINATOR_GROUP)
    wanted = Q()
    for app_label, models in COORDINATOR_PERMISSIONS.items():
        for model, actions in models.items():
            wanted |= Q(
                content_type__app_label=app_label,
                codename__in=[f"{action}_{model}" for action in actions],
            )
    permissions = list(Permission.objects.filter(wanted))
    if set(group.permissions.values_list("pk", flat=True)) != {p.pk for p in permissions}:
        group.permissions.set(permissions)
    return group


def _save_new(user: User, *, password: str, by) -> User:
    user.set_password(password)
    record_actor(user, by)
    user.save()
    if user.role == UserRole.COORDINATOR:
        user.groups.add(coordinator_group())
    security_log.info(
        "account created username=%s role=%s department=%s by=%s",
        user.username,
        user.role,
        user.department_id or "-",
        getattr(by, "username", "") or "-",
    )
    return user


def account_create(
    *, username: str, department: Department | None, role: str, password: str, by=None
) -> User:
    """Create one account. Only coordinators get admin access (is_staff)."""
    user = _account_build(username=username, department=department, role=role, password=password)
    return _save_new(user, password=password, by=by)


def account_grant_superuser(*, user: User, by=None) -> User:
    """Full rights everywhere, including the admin site."""
    user.is_superuser = True
    user.is_staff = True
    user.full_clean(exclude=["password"])
    record_actor(user, by)
    user.save(update_fields=["is_superuser", "is_staff"])
    security_log.warning(
        "superuser granted username=%s by=%s", user.username, getattr(by, "username", "") or "-"
    )
    return user


def validation_messages(error: ValidationError) -> list[str]:
    """A ValidationError as readable lines, each prefixed with its field's Chinese name."""
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    lines = []
    for field, messages in error.message_dict.items():
        if field == NON_FIELD_ERRORS:
            lines.extend(messages)
            continue
        try:
            label = str(User._meta.get_field(field).verbose_name)
        except FieldDoesNotExist:
            label = field
        lines.extend(f"{label}：{message}" for message in messages)
    return lines


def _read_csv_text(file) -> str:
    content = file.read()
    if isinstance(content, bytes):
        try:
            # utf-8-sig drops the BOM that Excel writes ("CSV UTF-8").
            return content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ValidationError(
                _("文件不是 UTF-8 编码。请在 Excel 中“另存为”→“CSV UTF-8(逗号分隔)”后再上传。")
            ) from error
    return content.removeprefix("\ufeff")


@transaction.atomic
def accounts_import_csv(*, file, by) -> list[User]:
    """Create the accounts listed in a CSV file: all of them, or none.

    Columns: username,department,role,password (header row first). The department
    is a short name or alias (blank for a viewer without one); the role is its
    code (staff) or its Chinese name (经办人). Every row is checked before any is
    saved; a ValidationError lists every bad row by its line in the file.
    """
    if by is not None and not may_manage_account(by):
        raise PermissionDenied(_("只有市民政局协调员可以导入账号。"))
    reader = csv.DictReader(io.StringIO(_read_csv_text(file), newline=""))
    header = [(name or "").strip() for name in (reader.fieldnames or [])]
    missing = [column for column in CSV_COLUMNS if column not in header]
    if missing:
        raise ValidationError(
            _("第1行应为表头 %(expected)s，缺少：%(missing)s。")
            % {"expected": ",".join(CSV_COLUMNS), "missing": "、".join(missing)}
        )
    reader.fieldnames = header

    errors: list[str] = []
    built: list[tuple[User, str]] = []
    first_line: dict[str, int] = {}
    for count, row in enumerate(reader, start=1):
        if count > CSV_MAX_ROWS:
            raise ValidationError(
                _("一次最多导入 %(max)d 个账号，请分批导入。") % {"max": CSV_MAX_ROWS}
            )
        # The line in the file, as Excel numbers it (the header is line 1).
        line = reader.line_num
        row_errors = _import_row_errors(row, line=line, first_line=first_line, built=built, by=by)
        errors.extend(
            _("第%(line)d行：%(message)s") % {"line": line, "message": message}
            for message in row_errors
        )
    if errors:
        raise ValidationError(errors)
    if not built:
        raise ValidationError(_("文件中没有账号。"))
    return [_save_new(user, password=password, by=by) for user, password in built]


def _import_row_errors(
    row: dict, *, line: int, first_line: dict[str, int], built: list[tuple[User, str]], by=None
) -> list[str]:
    """Check one CSV row; append it to `built` if good, else return what is wrong."""
    if any((value or "").strip() for value in row.get(None, [])):
        return [_("列数多于表头。")]
    values = {column: (row.get(column) or "").strip() for column in CSV_COLUMNS}
    if not any(values.values()):
        return []
    row_errors: list[str] = []
    username = values["username"]
    if username.lower() in first_line:
        row_errors.append(
            _("用户名“%(username)s”与第%(other)d行重复。")
            % {"username": username, "other": first_line[username.lower()]}
        )
    elif username:
        first_line[username.lower()] = line
    department = None
    department_unknown = False
    if values["department"]:
        try:
            department = department_resolve_name(values["department"])
        except ValidationError:
            department_unknown = True
            row_errors.append(
                _("所属单位：找不到单位“%(name)s”，请填写单位简称或别名。")
                % {"name": values["department"]}
            )
    try:
        user = _account_build(
            username=username,
            department=department,
            role=values["role"],
            password=values["password"],
        )
    except ValidationError as error:
        if department_unknown:
            # "Staff need a department" would only repeat the message above.
            error.error_dict.pop("department", None)
        row_errors.extend(validation_messages(error))
    else:
        if by is not None and user.role not in dict(roles_assignable_by(by)):
            row_errors.append(
                _("角色：只有系统管理员可以开设“%(role)s”账号。")
                % {"role": user.get_role_display()}
            )
        if not row_errors:
            built.append((user, values["password"]))
    return row_errors


# --- Password reset by a coordinator ---------------------------------------------


def may_issue_reset_link(by, user: User) -> bool:
    """Coordinators for the accounts they manage; superusers for every account but a superuser's.

    A superuser's password is reset only on the server (`manage.py changepassword`).
    """
    return not user.is_superuser and user.is_active and may_manage_account(by, user)


def password_reset_link_issue(*, user: User, by) -> str:
    """A one-time link (path) with which `user` sets a new password.

    Django's token generator makes it single use (it is bound to the current
    password hash and last login) and time-limited (PASSWORD_RESET_TIMEOUT).
    The link leads to the same page as the e-mailed one. Issuing it is logged.
    """
    if not may_issue_reset_link(by, user):
        security_log.warning(
            "password reset link refused user=%s by=%s",
            user.username,
            getattr(by, "username", "") or "-",
        )
        raise PermissionDenied(_("不能为该账号生成重置密码链接。"))
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    security_log.warning(
        "password reset link issued user=%s by=%s", user.username, getattr(by, "username", "-")
    )
    return path
