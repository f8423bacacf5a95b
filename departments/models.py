"""Places (行政区划) and the bodies (单位/部门) the plan names."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import TimeStampedModel, choices_constraint, validity_constraint

division_code_validator = RegexValidator(r"^\d{12}$", _("区划代码必须是12位数字。"))


class RegionQuerySet(models.QuerySet):
    def counties(self):
        return self.filter(kind=Region.Kind.COUNTY)

    def towns(self):
        """镇 and 乡: what the plan calls 乡镇 (not 街道)."""
        return self.filter(kind__in=[Region.Kind.TOWN, Region.Kind.TOWNSHIP])

    def valid_in(self, year: int):
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__year__lte=year),
            Q(valid_to__isnull=True) | Q(valid_to__year__gte=year),
        )


class RegionKind(models.TextChoices):
    CITY = "city", _("地级市")
    COUNTY = "county", _("县(区)")
    DEVELOPMENT_ZONE = "development_zone", _("开发区")
    TOWN = "town", _("镇")
    TOWNSHIP = "township", _("乡")
    SUBDISTRICT = "subdistrict", _("街道")
    TOWNSHIP_LIKE = "township_like", _("类似乡级单位")


class Region(TimeStampedModel):
    """A place with its official 12-digit division code (行政区划代码)."""

    Kind = RegionKind

    COUNTY_LEVEL_KINDS = (Kind.COUNTY, Kind.DEVELOPMENT_ZONE)

    code = models.CharField(
        _("区划代码"), max_length=12, unique=True, validators=[division_code_validator]
    )
    name = models.CharField(_("名称"), max_length=50)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级区划"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    valid_from = models.DateField(_("有效起始"), null=True, blank=True)
    valid_to = models.DateField(_("有效截止"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("承继区划"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        help_text=_("撤并或改隶后承继本区划的单位，如义井镇2017年由郊区划归城区。"),
    )
    names_by_year = models.JSONField(
        _("各年名称"), default=dict, blank=True, help_text=_("国家统计用区划代码表中各年的名称。")
    )

    objects = RegionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]
        constraints = [
            validity_constraint("region_valid_range"),
            choices_constraint("kind", RegionKind, "region_kind_known"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_town(self) -> bool:
        return self.kind in (self.Kind.TOWN, self.Kind.TOWNSHIP)

    def clean(self):
        super().clean()
        expected_parent_kinds = {
            self.Kind.CITY: (),
            self.Kind.COUNTY: (self.Kind.CITY,),
            self.Kind.DEVELOPMENT_ZONE: (self.Kind.CITY,),
        }.get(self.kind, self.COUNTY_LEVEL_KINDS)
        if self.parent_id is None:
            if self.kind != self.Kind.CITY:
                raise ValidationError({"parent": _("除地级市外，区划必须有上级区划。")})
            return
        if self.parent_id == self.pk:
            raise ValidationError({"parent": _("区划不能以自身为上级。")})
        if self.parent.kind not in expected_parent_kinds:
            raise ValidationError(
                {
                    "parent": _("“%(kind)s”的上级不能是“%(parent)s”（%(parent_kind)s）。")
                    % {
                        "kind": self.get_kind_display(),
                        "parent": self.parent.name,
                        "parent_kind": self.parent.get_kind_display(),
                    }
                }
            )


class DepartmentQuerySet(models.QuerySet):
    def concrete(self):
        """Bodies that can hold an account and report (not collective wordings)."""
        return self.exclude(kind__in=Department.COLLECTIVE_KINDS)

    def by_name(self, name: str):
        """Find a body by its short name, full name or any alias; a county's name
        (平定县) finds its government (平定县人民政府)."""
        matches = Department.objects.filter(
            Q(short_name=name)
            | Q(full_name=name)
            | Q(aliases__name=name)
            | Q(kind=DepartmentKind.COUNTY_GOVERNMENT, region__name=name)
        )
        return self.filter(pk__in=matches.values("pk"))


class DepartmentKind(models.TextChoices):
    CITY_DEPARTMENT = "city_department", _("市直部门")
    PARTY_ORGAN = "party_organ", _("党委机关")
    MASS_ORGANISATION = "mass_organisation", _("人民团体")
    COUNTY_GOVERNMENT = "county_government", _("县(区)人民政府")
    COUNTY_PARTY_COMMITTEE = "county_party_committee", _("县(区)委")
    COLLECTIVE = "collective", _("集合称谓")
    PLACEHOLDER = "placeholder", _("相关部门(待明确)")


class Department(TimeStampedModel):
    """Any body the plan names: department, party organ, county government…"""

    Kind = DepartmentKind

    COLLECTIVE_KINDS = (Kind.COLLECTIVE, Kind.PLACEHOLDER)
    COUNTY_KINDS = (Kind.COUNTY_GOVERNMENT, Kind.COUNTY_PARTY_COMMITTEE)

    short_name = models.CharField(
        _("简称"), max_length=50, unique=True, help_text=_("方案中使用的名称，如“市编办”。")
    )
    full_name = models.CharField(_("全称"), max_length=120, blank=True)
    kind = models.CharField(_("类型"), max_length=30, choices=Kind.choices)
    region = models.ForeignKey(
        Region,
        verbose_name=_("所属区划"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="departments",
        help_text=_("县(区)人民政府和县(区)委所在的县(区)。"),
    )
    members = models.ManyToManyField(
        "self",
        verbose_name=_("包含单位"),
        symmetrical=False,
        blank=True,
        related_name="collectives",
        help_text=_("集合称谓（如“各县(区)人民政府”）所指的具体单位。"),
    )
    successor = models.ForeignKey(
        "self",
        verbose_name=_("承继单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        help_text=_("机构改革后承接本单位职责的单位。"),
    )
    valid_from = models.DateField(_("设立日期"), null=True, blank=True)
    valid_to = models.DateField(_("撤销日期"), null=True, blank=True)
    order = models.PositiveIntegerField(_("排序"), default=0)

    objects = DepartmentQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[members])

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["order", "short_name"]
        indexes = [
            # The bodies list pages in this order (thousands of county bodies nationally).
            models.Index(fields=["order", "short_name"], name="department_listed_order"),
        ]
        constraints = [
            choices_constraint("kind", DepartmentKind, "department_kind_known"),
            models.CheckConstraint(
                condition=~Q(successor=models.F("id")) | Q(successor__isnull=True),
                name="department_not_own_successor",
            ),
            validity_constraint("department_valid_range"),
        ]

    def __str__(self):
        return self.short_name

    @property
    def is_collective(self) -> bool:
        return self.kind in self.COLLECTIVE_KINDS

    def clean(self):
        super().clean()
        if self.kind in self.COUNTY_KINDS and self.region_id is None:
            raise ValidationError({"region": _("县(区)人民政府和县(区)委必须指明所属县(区)。")})
        if self.region_id and self.region.kind not in Region.COUNTY_LEVEL_KINDS:
            raise ValidationError({"region": _("单位所属区划必须是县(区)或开发区。")})


class DepartmentAlias(models.Model):
    """Another name of the same body, e.g. 市国资委 for 市经信委〈国资委〉."""

    department = models.ForeignKey(
        Department, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="aliases"
    )
    name = models.CharField(_("别名"), max_length=120, unique=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("单位别名")
        verbose_name_plural = _("单位别名")
        ordering = ["name"]

    def __str__(self):
        return self.name
