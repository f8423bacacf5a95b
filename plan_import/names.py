"""Which known body a name written in a plan stands for (read-only).

A plan writes 市经信委〈国资委〉, the department table may hold 市经信委(国资委)
as an alias, a clerk may paste 阳泉市民政局. Matching compares short names, full
names and aliases after normalising brackets, spaces, the 中共 prefix and the
city's name (阳泉市民政局 → 市民政局). A name that matches no body, or more than
one, gives None: the review step proposes it as a new body instead of merging
it silently into a guess.
"""

from collections.abc import Iterable

from departments.models import Department

CITY_NAME = "阳泉市"
OPEN_BRACKETS = str.maketrans(dict.fromkeys("（〈<［[【", "(") | dict.fromkeys("）〉>］]】", ")"))


def normalise_name(name: str) -> str:
    """Brackets unified to ( ), all spaces removed: 市经信委〈国资委〉 → 市经信委(国资委)."""
    return "".join(name.translate(OPEN_BRACKETS).split())


def name_variants(name: str, *, city: str = CITY_NAME) -> list[str]:
    """The forms a name is compared under, most exact first."""
    exact = normalise_name(name)
    variants = [exact]
    without_party = exact.removeprefix("中共")
    variants.append(without_party)
    if without_party.startswith(city):
        variants.append("市" + without_party.removeprefix(city))
    last = variants[-1]
    if last.endswith(")") and last.rfind("(") >= 2:
        variants.append(last[: last.rfind("(")])  # 市经信委(国资委) → 市经信委
    return list(dict.fromkeys(variants))


class DepartmentMatcher:
    """Matches many names against the department table with two queries in all."""

    def __init__(self, departments: Iterable[Department] | None = None, *, city: str = CITY_NAME):
        if departments is None:
            departments = Department.objects.prefetch_related("aliases")
        self.city = city
        self._index: dict[str, set[int]] = {}
        self._by_id: dict[int, Department] = {}
        for department in departments:
            self._by_id[department.pk] = department
            names = [department.short_name, department.full_name]
            names += [alias.name for alias in department.aliases.all()]
            for name in filter(None, names):
                for variant in name_variants(name, city=city):
                    self._index.setdefault(variant, set()).add(department.pk)

    def match(self, written: str) -> Department | None:
        """The one body `written` names, or None if none or several fit."""
        for variant in name_variants(written, city=self.city):
            found = self._index.get(variant)
            if found:
                return self._by_id[next(iter(found))] if len(found) == 1 else None
        return None

    def match_all(self, names: Iterable[str]) -> dict[str, Department | None]:
        return {name: self.match(name) for name in names}


def department_match(written: str) -> Department | None:
    """Match one written name (builds a matcher; use DepartmentMatcher for many)."""
    return DepartmentMatcher().match(written)


PLACEHOLDER_MARKS = ("相关", "有关", "部门和单位")
PARTY_PREFIXES = ("中共", "市委", "县委", "区委", "省委", "党委")
PARTY_MARKS = ("纪委", "党工委")
MASS_ENDINGS = ("工会", "妇联", "残联", "科协", "侨联", "文联", "红十字会", "工商联", "团委")


def propose_kind(written: str) -> str:
    """The kind a body unknown to the table probably is (the coordinator confirms it).

    各… and …相关/有关部门 wordings stand for bodies not yet named: a placeholder
    (a collective needs its members, which the admin sets). County governments and
    committees are never proposed: they need their county, set in the admin.
    """
    name = normalise_name(written)
    if name.startswith("各") or any(mark in name for mark in PLACEHOLDER_MARKS):
        return Department.Kind.PLACEHOLDER
    if name.startswith(PARTY_PREFIXES) or any(mark in name for mark in PARTY_MARKS):
        return Department.Kind.PARTY_ORGAN
    if name.endswith(MASS_ENDINGS) or name.startswith("团"):
        return Department.Kind.MASS_ORGANISATION
    return Department.Kind.CITY_DEPARTMENT


def propose_short_name(written: str, *, city: str = CITY_NAME) -> str:
    """The short name a new body would get: as written, without spaces or the city's name."""
    name = "".join(written.split())
    if name.startswith(city) and len(name) > len(city):
        name = "市" + name.removeprefix(city)
    return name
