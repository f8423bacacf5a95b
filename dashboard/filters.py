"""The dashboard's filters, one FilterSet for the page, its drill-down lists and the API.

Every parameter names a row by its id (core.api.IdFilter): a bad value is a 400
in the API and a message on the page; an id that names no row matches nothing.
`as_of` is read by core.as_of (the page) and core.api.api_as_of (the API).
"""

import django_filters
from django.db.models import Q, QuerySet

from core.api import FilterSet, IdFilter
from reports.lights import Light
from reports.models import ProgressReport
from reports.selectors import with_light
from tasks.models import Assignment, Role

from .selectors import STATE_RANKS, default_plan, period_of, with_period_state, with_status

STATUS_CHOICES = ProgressReport.Status.choices
REPORT_STATE_CHOICES = [
    ("approved", "已审核"),
    ("submitted", "已报送"),
    ("draft", "草稿"),
    ("returned", "退回"),
    ("none", "未填报"),
]
# The parameters that narrow the figures (kept on every link of the page).
SCOPE_PARAMS = ("plan", "section", "department", "county", "light", "period", "as_of")


class DashboardFilter(FilterSet):
    """Narrows the active assignments the figures count. `as_of` is set by the caller."""

    plan = IdFilter(field_name="task__plan_id", label="实施方案")
    section = IdFilter(method="filter_section", label="方面（如三(一)）")
    department = IdFilter(field_name="department_id", label="单位")
    county = IdFilter(field_name="department__region_id", label="县(区)")
    light = django_filters.ChoiceFilter(
        choices=Light.choices, method="filter_light", label="状态灯"
    )
    period = IdFilter(method="filter_period", label="报告期")
    # Drill-down only (the lists behind a figure); the dashboard's own figures ignore none.
    role = django_filters.ChoiceFilter(choices=Role.choices, field_name="role", label="分工")
    status = django_filters.ChoiceFilter(
        choices=STATUS_CHOICES, method="filter_status", label="进度"
    )
    report_state = django_filters.ChoiceFilter(
        choices=REPORT_STATE_CHOICES, method="filter_report_state", label="本期填报"
    )

    class Meta:
        model = Assignment
        fields = []

    as_of = None  # the day the figures are read for (None: today)

    def filter_section(self, queryset: QuerySet, name, value):
        return queryset.filter(Q(task__parent_id=value) | Q(task__parent__parent_id=value))

    def filter_light(self, queryset: QuerySet, name, value):
        return with_light(queryset, value, as_of=self.as_of)

    def filter_period(self, queryset: QuerySet, name, value):
        # The period chooses which reports the reporting status reads; it narrows
        # nothing (selectors.period_of resolves it).
        return queryset

    def filter_status(self, queryset: QuerySet, name, value):
        return with_status(queryset, value, as_of=self.as_of)

    def filter_report_state(self, queryset: QuerySet, name, value):
        period = self.resolved()[1]
        return with_period_state(queryset, period).filter(period_rank=STATE_RANKS[value])

    def resolved(self):
        """(plan, period) the figures read: those asked for, or the newest plan and the
        period running on the day. Two queries, once."""
        if not hasattr(self, "_resolved"):
            wanted = self.form.cleaned_data
            plan = default_plan(wanted.get("plan"))
            period = period_of(
                wanted.get("period"), plan_id=plan.pk if plan else None, day=self.as_of
            )
            self._resolved = (plan, period)
        return self._resolved


def dashboard_filter(data, *, as_of=None) -> DashboardFilter:
    queryset = Assignment.objects.filter(is_active=True)
    filters = DashboardFilter(data, queryset=queryset)
    filters.as_of = as_of
    return filters


def error_messages(filters: DashboardFilter) -> list[str]:
    """The errors as sentences for a page ("单位：应为整数。")."""
    labels = {name: f.label for name, f in filters.filters.items()}
    return [
        f"{labels.get(name, name)}：{' '.join(str(m) for m in messages)}"
        for name, messages in filters.errors.items()
    ]
