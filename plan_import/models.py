"""Imported plans waiting for review: nothing here is live until it is published.

A `PlanImport` holds a document's text and what the parser read in it: the
numbered tree (`ImportedNode`), the responsibility clauses (`ImportedClause`)
and, per clause, each body as written with its role and the known body it was
matched to (`ImportedBody`). The coordinator corrects clauses and bodies on the
review page (every change is kept in their history), then publishes: only then
do a `tasks.Plan`, its `Task` tree, `Responsibility` rows and `Assignment`
shares exist.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import TimeStampedModel, choices_constraint
from departments.models import Department
from tasks.models import Role


class ImportStatus(models.TextChoices):
    DRAFT = "draft", _("待审核")
    PUBLISHED = "published", _("已发布")
    DISCARDED = "discarded", _("已放弃")


class PlanImport(TimeStampedModel):
    """One document read for import, and the plan's particulars to publish it with."""

    Status = ImportStatus

    title = models.CharField(_("方案标题"), max_length=200)
    source_name = models.CharField(_("来源"), max_length=200, blank=True)
    source_text = models.TextField(_("原文"), help_text=_("读取并规范化后的全文。"))
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    slug = models.SlugField(_("方案标识"), max_length=60, blank=True)
    document_number = models.CharField(_("文号"), max_length=60, blank=True)
    issued_on = models.DateField(_("印发日期"), null=True, blank=True)
    starts_on = models.DateField(_("起始日期"), null=True, blank=True)
    ends_on = models.DateField(_("截止日期"), null=True, blank=True)
    coordinator = models.ForeignKey(
        Department,
        verbose_name=_("牵头协调单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    issuers = models.ManyToManyField(
        Department, verbose_name=_("印发单位"), blank=True, related_name="+"
    )
    warnings = models.JSONField(_("解析提示"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("导入人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    published_plan = models.OneToOneField(
        "tasks.Plan",
        verbose_name=_("发布后的方案"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="imported_from",
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    history = HistoricalRecords(m2m_fields=[issuers])

    class Meta:
        verbose_name = _("方案导入")
        verbose_name_plural = _("方案导入")
        ordering = ["-created_at"]
        constraints = [
            choices_constraint("status", ImportStatus, "plan_import_status_known"),
            models.CheckConstraint(
                condition=(Q(status=ImportStatus.PUBLISHED) & Q(published_plan__isnull=False))
                | (~Q(status=ImportStatus.PUBLISHED) & Q(published_plan__isnull=True)),
                name="plan_import_published_has_plan",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="plan_import_dates_ordered",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_draft(self) -> bool:
        return self.status == ImportStatus.DRAFT

    @property
    def is_published(self) -> bool:
        return self.status == ImportStatus.PUBLISHED

    @property
    def is_discarded(self) -> bool:
        return self.status == ImportStatus.DISCARDED


class NodeKind(models.TextChoices):
    PART = "part", _("部分")
    SECTION = "section", _("方面")
    ITEM = "item", _("条目")
    SUBITEM = "subitem", _("子条目")


class ImportedNode(models.Model):
    """A numbered part, section, item or sub-item of the document, as parsed (not edited)."""

    Kind = NodeKind

    plan_import = models.ForeignKey(
        PlanImport, verbose_name=_("方案导入"), on_delete=models.CASCADE, related_name="nodes"
    )
    order = models.PositiveIntegerField(_("排序"))
    kind = models.CharField(_("层级"), max_length=10, choices=Kind.choices)
    code = models.CharField(_("编号"), max_length=30)
    label = models.CharField(_("序号"), max_length=20)
    heading = models.CharField(_("标题"), max_length=200, blank=True)
    text = models.TextField(_("原文"))
    parent_code = models.CharField(_("上级编号"), max_length=30, blank=True)
    start = models.PositiveIntegerField(_("起始位置"))

    class Meta:
        verbose_name = _("导入的层级")
        verbose_name_plural = _("导入的层级")
        ordering = ["plan_import", "order"]
        constraints = [
            choices_constraint("kind", NodeKind, "imported_node_kind_known"),
        ]

    def __str__(self):
        return f"{self.code} {self.heading}".strip()


class ImportedClause(TimeStampedModel):
    """One responsibility clause as read, then as corrected by the coordinator."""

    plan_import = models.ForeignKey(
        PlanImport, verbose_name=_("方案导入"), on_delete=models.CASCADE, related_name="clauses"
    )
    code = models.CharField(_("编号"), max_length=30)
    node_code = models.CharField(
        _("所属条目"), max_length=30, help_text=_("条款所在的部分、方面、条目或子条目的编号。")
    )
    path = models.JSONField(_("层级路径"), default=list)
    heading = models.CharField(_("所在条目标题"), max_length=200, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    text = models.TextField(_("原文"))
    responsibility_text = models.CharField(_("分工原文"), max_length=300, blank=True)
    due_text = models.CharField(_("时限原文"), max_length=200, blank=True)
    scope = models.JSONField(_("适用范围"), default=list, blank=True)
    applied_rules = models.JSONField(_("适用的通用规定"), default=list, blank=True)
    shared_by = models.PositiveSmallIntegerField(_("共用分工的条款数"), default=1)
    start = models.PositiveIntegerField(_("起始位置"), help_text=_("在原文中的位置（字符）。"))
    end = models.PositiveIntegerField(_("结束位置"))
    paren_start = models.PositiveIntegerField(_("分工起始位置"), null=True, blank=True)
    paren_end = models.PositiveIntegerField(_("分工结束位置"), null=True, blank=True)
    line = models.PositiveIntegerField(_("行号"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("导入的责任条款")
        verbose_name_plural = _("导入的责任条款")
        # Reading order: splits and merges keep each clause's place in the text.
        ordering = ["plan_import", "start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")), name="imported_clause_span_ordered"
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"


class Resolution(models.TextChoices):
    """How a written name came to stand for a body."""

    MATCHED = "matched", _("自动匹配")
    CHOSEN = "chosen", _("人工指定")
    NEW = "new", _("确认新建")
    UNRESOLVED = "unresolved", _("待确认")


class ImportedBody(TimeStampedModel):
    """One body a clause names: the words as written, its role, and who it is."""

    Resolution = Resolution
    # Kinds a new body may be created with here; county governments and committees
    # need their county, so they are added in the admin first.
    NEW_KINDS = (
        Department.Kind.CITY_DEPARTMENT,
        Department.Kind.PARTY_ORGAN,
        Department.Kind.MASS_ORGANISATION,
        Department.Kind.PLACEHOLDER,
    )

    clause = models.ForeignKey(
        ImportedClause, verbose_name=_("责任条款"), on_delete=models.CASCADE, related_name="bodies"
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    written_as = models.CharField(_("原文写法"), max_length=60)
    role = models.CharField(_("分工"), max_length=12, choices=Role.choices)
    department = models.ForeignKey(
        Department,
        verbose_name=_("对应单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    resolution = models.CharField(
        _("匹配情况"), max_length=12, choices=Resolution.choices, default=Resolution.UNRESOLVED
    )
    new_short_name = models.CharField(_("新单位简称"), max_length=50, blank=True)
    new_kind = models.CharField(
        _("新单位类型"), max_length=30, choices=Department.Kind.choices, blank=True
    )
    added_in_review = models.BooleanField(
        _("审核时添加"), default=False, help_text=_("原文未写，由审核人添加。")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("导入的责任单位")
        verbose_name_plural = _("导入的责任单位")
        ordering = ["clause", "order", "pk"]
        constraints = [
            choices_constraint("role", Role, "imported_body_role_known"),
            choices_constraint("resolution", Resolution, "imported_body_resolution_known"),
            # A matched or chosen body names a Department; a new one names itself.
            models.CheckConstraint(
                condition=~Q(resolution__in=[Resolution.MATCHED, Resolution.CHOSEN])
                | Q(department__isnull=False),
                name="imported_body_matched_has_department",
            ),
            models.CheckConstraint(
                condition=~Q(resolution=Resolution.NEW)
                | (Q(department__isnull=True) & ~Q(new_short_name="") & ~Q(new_kind="")),
                name="imported_body_new_is_named",
            ),
        ]

    def __str__(self):
        return f"{self.written_as}({self.get_role_display()})"

    @property
    def needs_review(self) -> bool:
        return self.resolution == Resolution.UNRESOLVED

    @property
    def is_new(self) -> bool:
        return self.resolution == Resolution.NEW

    @property
    def is_chosen(self) -> bool:
        return self.resolution == Resolution.CHOSEN

    @property
    def is_matched(self) -> bool:
        return self.resolution in (Resolution.MATCHED, Resolution.CHOSEN)

    @property
    def shown_name(self) -> str:
        """The body it will be published as: a known body's short name, or the new one's."""
        if self.department_id:
            return self.department.short_name
        return self.new_short_name
