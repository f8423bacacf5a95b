"""The plan as data: plans, their tree of work items, who answers for each."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import TimeStampedModel, choices_constraint


class Plan(TimeStampedModel):
    """One implementation plan (实施方案)."""

    slug = models.SlugField(_("标识"), max_length=60, unique=True)
    title = models.CharField(_("标题"), max_length=200)
    document_number = models.CharField(_("文号"), max_length=60, blank=True)
    issuers = models.ManyToManyField(
        "departments.Department", verbose_name=_("印发单位"), related_name="issued_plans"
    )
    issued_on = models.DateField(_("印发日期"))
    published_on = models.DateField(_("发布日期"), null=True, blank=True)
    starts_on = models.DateField(_("起始日期"))
    ends_on = models.DateField(_("截止日期"), help_text=_("没有单独时限的任务以此为截止日期。"))
    coordinator = models.ForeignKey(
        "departments.Department",
        verbose_name=_("牵头协调单位"),
        on_delete=models.PROTECT,
        related_name="coordinated_plans",
        help_text=_("汇总各单位进展并向市委、市政府报告的单位。"),
    )
    pilot_towns = models.ManyToManyField(
        "departments.Region", verbose_name=_("试点乡镇"), blank=True, related_name="pilot_of_plans"
    )
    source_text = models.TextField(_("原文"))
    source_reference = models.CharField(_("原文出处"), max_length=200, blank=True)

    history = HistoricalRecords(m2m_fields=[pilot_towns])

    class Meta:
        verbose_name = _("实施方案")
        verbose_name_plural = _("实施方案")
        ordering = ["-issued_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="plan_dates_ordered"
            ),
        ]

    def __str__(self):
        return self.title


class Role(models.TextChoices):
    """How the plan assigns a body to a work item."""

    LEAD = "lead", _("牵头")
    SUPPORT = "support", _("配合")
    RESPONSIBLE = "responsible", _("负责")
    GUIDE = "guide", _("指导")


class TaskQuerySet(models.QuerySet):
    def clauses(self):
        return self.filter(kind=Task.Kind.CLAUSE)

    def from_plan(self):
        """The plan's own work items (not rectification items added after inspections)."""
        return self.filter(origin=TaskOrigin.PLAN)

    def from_inspections(self):
        return self.filter(origin=TaskOrigin.INSPECTION)


class TaskKind(models.TextChoices):
    PART = "part", _("部分")  # 三、工作任务
    SECTION = "section", _("方面")  # 三(一)
    ITEM = "item", _("条目")  # 三(一)1
    CLAUSE = "clause", _("责任条款")  # one parenthesised responsibility


class TaskOrigin(models.TextChoices):
    """Where a work item comes from: the plan's text, or an inspection's finding (督查整改)."""

    PLAN = "plan", _("实施方案")
    INSPECTION = "inspection", _("督查整改")


class Task(TimeStampedModel):
    """A node of the plan's tree; clauses (责任条款) are the tracked unit."""

    Kind = TaskKind
    Origin = TaskOrigin

    # Plans of this genre skip levels: items right under a part (二、…1、…), a
    # clause right under a part (三、保障措施 …（X负责）), a document with no parts.
    ALLOWED_PARENT_KINDS = {
        Kind.PART: (None,),
        Kind.SECTION: (None, Kind.PART),
        Kind.ITEM: (None, Kind.PART, Kind.SECTION),
        Kind.CLAUSE: (Kind.ITEM, Kind.SECTION, Kind.PART),
    }

    plan = models.ForeignKey(
        Plan, verbose_name=_("实施方案"), on_delete=models.PROTECT, related_name="tasks"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    kind = models.CharField(_("层级"), max_length=10, choices=Kind.choices)
    code = models.CharField(_("编号"), max_length=30, help_text=_("在方案中的位置，如“三(二)5”。"))
    title = models.CharField(_("标题"), max_length=200)
    text = models.TextField(_("原文"), help_text=_("方案中这一条的原话。"))
    responsibility_text = models.CharField(
        _("分工原文"), max_length=300, blank=True, help_text=_("括号中的责任分工原话。")
    )
    order = models.PositiveIntegerField(_("排序"), default=0)
    due_date = models.DateField(
        _("完成时限"), null=True, blank=True, help_text=_("留空则以方案截止日期为准。")
    )
    origin = models.CharField(
        _("来源"),
        max_length=12,
        choices=TaskOrigin.choices,
        default=TaskOrigin.PLAN,
        help_text=_("督查整改事项由督查发现生成，不属于方案原文，在方案中单独列出。"),
    )

    objects = TaskQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("工作任务")
        verbose_name_plural = _("工作任务")
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="task_code_unique_in_plan"),
            choices_constraint("kind", TaskKind, "task_kind_known"),
            choices_constraint("origin", TaskOrigin, "task_origin_known"),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    @property
    def is_from_inspection(self) -> bool:
        return self.origin == TaskOrigin.INSPECTION

    @property
    def is_part(self) -> bool:
        return self.kind == TaskKind.PART

    @property
    def is_section(self) -> bool:
        return self.kind == TaskKind.SECTION

    @property
    def is_item(self) -> bool:
        return self.kind == TaskKind.ITEM

    @property
    def is_clause(self) -> bool:
        return self.kind == TaskKind.CLAUSE

    @property
    def effective_due_date(self):
        return self.due_date or self.plan.ends_on

    def clean(self):
        super().clean()
        parent_kind = self.parent.kind if self.parent_id else None
        if parent_kind not in self.ALLOWED_PARENT_KINDS.get(self.kind, ()):
            raise ValidationError({"parent": _("该层级的工作任务不能挂在此上级之下。")})
        if self.parent_id and self.parent.plan_id != self.plan_id:
            raise ValidationError({"parent": _("上级工作任务属于另一个实施方案。")})
        if self.parent_id and self.parent.origin != self.origin:
            raise ValidationError({"origin": _("督查整改事项只能挂在督查整改之下，反之亦然。")})


class Responsibility(TimeStampedModel):
    """Body × work item × role, exactly as the plan writes it."""

    task = models.ForeignKey(
        Task, verbose_name=_("工作任务"), on_delete=models.CASCADE, related_name="responsibilities"
    )
    department = models.ForeignKey(
        "departments.Department",
        verbose_name=_("单位"),
        on_delete=models.PROTECT,
        related_name="responsibilities",
    )
    role = models.CharField(_("分工"), max_length=12, choices=Role.choices)
    written_as = models.CharField(
        _("原文写法"), max_length=60, help_text=_("方案括号中对该单位的写法。")
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    resolved_from = models.ForeignKey(
        "self",
        verbose_name=_("明确自"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resolutions",
        help_text=_("由市民政局将“相关部门”明确为具体单位时，指向原文中的“相关部门”分工。"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("责任分工")
        verbose_name_plural = _("责任分工")
        ordering = ["task", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "department"], name="responsibility_one_role_per_body"
            ),
            choices_constraint("role", Role, "responsibility_role_known"),
        ]

    def __str__(self):
        return f"{self.task.code} {self.written_as}({self.get_role_display()})"

    def clean(self):
        super().clean()
        if self.task_id and self.task.kind != Task.Kind.CLAUSE:
            raise ValidationError({"task": _("责任分工只能挂在责任条款上。")})
        if self.resolved_from_id:
            source = self.resolved_from
            if source.department.kind != source.department.Kind.PLACEHOLDER:
                raise ValidationError({"resolved_from": _("只能明确“相关部门”这类待明确的分工。")})
            if source.task_id != self.task_id or source.role != self.role:
                raise ValidationError(
                    {"resolved_from": _("明确后的分工须与原分工同属一项任务、分工相同。")}
                )
            if self.department_id and self.department.is_collective:
                raise ValidationError({"department": _("须明确为具体单位。")})


class AssignmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def from_plan(self):
        """Shares of the plan's own work items (not of rectification items)."""
        return self.filter(task__origin=TaskOrigin.PLAN)

    def from_inspections(self):
        return self.filter(task__origin=TaskOrigin.INSPECTION)

    def for_department(self, department):
        return self.filter(department=department)


class Assignment(TimeStampedModel):
    """One concrete body's share of one work item (任务分解)."""

    task = models.ForeignKey(
        Task, verbose_name=_("工作任务"), on_delete=models.PROTECT, related_name="assignments"
    )
    department = models.ForeignKey(
        "departments.Department",
        verbose_name=_("承办单位"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    role = models.CharField(_("分工"), max_length=12, choices=Role.choices)
    responsibility = models.ForeignKey(
        Responsibility,
        verbose_name=_("来源分工"),
        on_delete=models.PROTECT,
        related_name="assignments",
        help_text=_("集合称谓（如“各县(区)人民政府”）展开后，每个县(区)各有一份。"),
    )
    deadline = models.DateField(_("完成时限"))
    is_active = models.BooleanField(_("有效"), default=True)

    objects = AssignmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("任务分解")
        verbose_name_plural = _("任务分解")
        ordering = ["task__order", "department__order"]
        indexes = [
            # `?is_active=false`: the few withdrawn shares, without reading all of them.
            models.Index(
                fields=["task", "department"],
                condition=Q(is_active=False),
                name="assignment_inactive",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "department"], name="assignment_one_share_per_body"
            ),
            choices_constraint("role", Role, "assignment_role_known"),
        ]

    def __str__(self):
        return f"{self.task.code} · {self.department.short_name}"

    def clean(self):
        super().clean()
        if self.department_id and self.department.is_collective:
            raise ValidationError({"department": _("任务分解必须落实到具体单位。")})
        if not (self.responsibility_id and self.task_id and self.department_id):
            return
        source = self.responsibility
        if source.task_id != self.task_id:
            raise ValidationError({"responsibility": _("来源分工属于另一项工作任务。")})
        if source.role != self.role:
            raise ValidationError({"role": _("分工必须与来源分工一致。")})
        named = source.department_id == self.department_id or (
            source.department.is_collective
            and source.department.members.filter(pk=self.department_id).exists()
        )
        if not named:
            raise ValidationError({"department": _("该单位不在来源分工所指的单位之中。")})


class Target(TimeStampedModel):
    """A quantified aim the plan states (全覆盖, 20%, 每周至少1天)."""

    class Metric(models.TextChoices):
        COVERAGE = "coverage", _("覆盖率")
        RATIO = "ratio", _("比例")
        FREQUENCY = "frequency", _("频次")

    class Scope(models.TextChoices):
        PER_TOWN = "per_town", _("每个乡镇")
        PER_COUNTY = "per_county", _("每个县(区)")
        CITY = "city", _("全市")

    task = models.ForeignKey(
        Task, verbose_name=_("工作任务"), on_delete=models.CASCADE, related_name="targets"
    )
    code = models.SlugField(_("标识"), max_length=60)
    title = models.CharField(_("名称"), max_length=120)
    metric = models.CharField(_("指标类型"), max_length=12, choices=Metric.choices)
    minimum = models.DecimalField(_("目标值(不低于)"), max_digits=8, decimal_places=2)
    unit = models.CharField(_("单位"), max_length=20)
    scope = models.CharField(_("考核范围"), max_length=12, choices=Scope.choices)
    text = models.CharField(_("原文"), max_length=300)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("量化目标")
        verbose_name_plural = _("量化目标")
        ordering = ["task__order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["task", "code"], name="target_code_unique_in_task"),
            models.CheckConstraint(condition=Q(minimum__gte=0), name="target_minimum_not_negative"),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        capped = (self.Metric.COVERAGE, self.Metric.RATIO)
        if self.metric in capped and self.minimum is not None and self.minimum > 100:
            raise ValidationError({"minimum": _("覆盖率和比例的目标值不能超过100%。")})
