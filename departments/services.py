"""Writes for places and bodies."""

import csv
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.services import set_m2m, upsert

from .models import Department, DepartmentAlias, Region

CSV_KINDS = {
    "街道": Region.Kind.SUBDISTRICT,
    "镇": Region.Kind.TOWN,
    "乡": Region.Kind.TOWNSHIP,
}
FIRST_TABLE_YEAR = 2016
LAST_TABLE_YEAR = 2022


def _validity(first_year: int | None, last_year: int | None) -> dict:
    """A unit seen from the first to the last table we hold has no known bounds."""
    return {
        "valid_from": date(first_year, 1, 1)
        if first_year and first_year > FIRST_TABLE_YEAR
        else None,
        "valid_to": date(last_year, 12, 31) if last_year and last_year < LAST_TABLE_YEAR else None,
    }


@transaction.atomic
def regions_load(*, regions: list[dict], successors: dict[str, str], divisions_csv: Path) -> int:
    """Load the city, its county-level units and every township-level unit.

    Returns how many rows were created or changed.
    """
    changed = 0
    for row in regions:
        parent = Region.objects.get(code=row["parent"]) if row.get("parent") else None
        _obj, did = upsert(
            Region,
            lookup={"code": row["code"]},
            values={
                "name": row["name"],
                "kind": row["kind"],
                "parent": parent,
                **_validity(row.get("first_year"), row.get("last_year")),
            },
        )
        changed += did
    with open(divisions_csv, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            changed += _township_upsert(row)
    for old_code, new_code in successors.items():
        _obj, did = upsert(
            Region,
            lookup={"code": old_code},
            values={"successor": Region.objects.get(code=new_code)},
        )
        changed += did
    return changed


def _township_upsert(row: dict) -> bool:
    years = {
        y: row[f"in_{y}"]
        for y in range(FIRST_TABLE_YEAR, LAST_TABLE_YEAR + 1)
        if row.get(f"in_{y}")
    }
    if not years:
        raise ValidationError(_("区划 %(code)s 在任何年份都不存在。") % {"code": row["code12"]})
    kind = CSV_KINDS.get(row["type"], Region.Kind.TOWNSHIP_LIKE)
    parent = Region.objects.get(code=f"{row['county_code']}000000")
    _obj, did = upsert(
        Region,
        lookup={"code": row["code12"]},
        values={
            "name": row["name_latest"],
            "kind": kind,
            "parent": parent,
            "names_by_year": {str(y): n for y, n in years.items()},
            **_validity(min(years), max(years)),
        },
    )
    return did


@transaction.atomic
def departments_load(*, departments: list[dict]) -> int:
    """Create or update every body, its aliases and (for collectives) its members."""
    changed = 0
    for order, row in enumerate(departments, start=1):
        region = Region.objects.get(code=row["region"]) if row.get("region") else None
        department, did = upsert(
            Department,
            lookup={"short_name": row["short_name"]},
            values={
                "full_name": row.get("full_name", ""),
                "kind": row["kind"],
                "region": region,
                "order": order * 10,
            },
        )
        changed += did
        for alias in row.get("aliases", []):
            _alias, did = upsert(
                DepartmentAlias, lookup={"name": alias}, values={"department": department}
            )
            changed += did
    for row in departments:
        if row.get("members"):
            collective = Department.objects.get(short_name=row["short_name"])
            members = [Department.objects.get(short_name=name) for name in row["members"]]
            department_set_members(department=collective, members=members)
    return changed


def department_set_members(*, department: Department, members: list[Department], by=None) -> bool:
    """Say which concrete bodies a collective wording stands for."""
    if not department.is_collective:
        raise ValidationError({"members": _("只有集合称谓可以包含其他单位。")})
    if any(m.is_collective for m in members):
        raise ValidationError({"members": _("集合称谓只能包含具体单位。")})
    return set_m2m(department.members, members, by=by)


def department_resolve_name(name: str) -> Department:
    """The body a plan wording names, by short name or alias; a clear error if none."""
    found = list(Department.objects.by_name(name)[:2])
    if len(found) != 1:
        raise ValidationError(_("方案中的单位“%(name)s”在单位表中找不到。") % {"name": name})
    return found[0]
