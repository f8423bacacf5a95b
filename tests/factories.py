"""factory_boy factories shared by every app's tests."""

from datetime import date

import factory
from factory.django import DjangoModelFactory

from accounts.models import User, UserRole
from departments.models import Department, Region
from reports.models import ProgressReport, ReportingPeriod
from tasks.models import Assignment, Plan, Responsibility, Role, Task


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region

    code = factory.Sequence(lambda n: f"9{n:011d}")
    name = factory.Sequence(lambda n: f"测试县{n}")
    kind = Region.Kind.COUNTY
    parent = factory.LazyFunction(
        lambda: Region.objects.get_or_create(
            code="999900000000", defaults={"name": "测试市", "kind": Region.Kind.CITY}
        )[0]
    )


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = Department

    short_name = factory.Sequence(lambda n: f"测试局{n}")
    full_name = factory.LazyAttribute(lambda o: f"测试市{o.short_name}")
    kind = Department.Kind.CITY_DEPARTMENT


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = UserRole.STAFF
    department = factory.SubFactory(DepartmentFactory)
    password = factory.PostGenerationMethodCall("set_password", "Pass-word-123")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class PlanFactory(DjangoModelFactory):
    class Meta:
        model = Plan

    slug = factory.Sequence(lambda n: f"plan-{n}")
    title = factory.Sequence(lambda n: f"测试实施方案{n}")
    issued_on = date(2018, 11, 9)
    starts_on = date(2018, 1, 1)
    ends_on = date(2020, 12, 31)
    coordinator = factory.SubFactory(DepartmentFactory)
    source_text = "原文"


class TaskFactory(DjangoModelFactory):
    """A clause under an item under a section under a part, all in one plan."""

    class Meta:
        model = Task

    plan = factory.SubFactory(PlanFactory)
    kind = Task.Kind.CLAUSE
    code = factory.Sequence(lambda n: f"T{n}")
    title = factory.Sequence(lambda n: f"测试任务{n}")
    text = "任务原文"
    order = factory.Sequence(lambda n: n)
    parent = factory.LazyAttribute(
        lambda o: Task.objects.get_or_create(
            plan=o.plan,
            code="三(一)1",
            defaults={
                "kind": Task.Kind.ITEM,
                "title": "条目",
                "text": "条目原文",
                "parent": Task.objects.get_or_create(
                    plan=o.plan,
                    code="三(一)",
                    defaults={
                        "kind": Task.Kind.SECTION,
                        "title": "方面",
                        "text": "方面原文",
                        "parent": Task.objects.get_or_create(
                            plan=o.plan,
                            code="三",
                            defaults={"kind": Task.Kind.PART, "title": "部分", "text": "三"},
                        )[0],
                    },
                )[0],
            },
        )[0]
    )


class ResponsibilityFactory(DjangoModelFactory):
    class Meta:
        model = Responsibility

    task = factory.SubFactory(TaskFactory)
    department = factory.SubFactory(DepartmentFactory)
    role = Role.LEAD
    written_as = factory.LazyAttribute(lambda o: o.department.short_name)


class AssignmentFactory(DjangoModelFactory):
    class Meta:
        model = Assignment

    responsibility = factory.SubFactory(ResponsibilityFactory)
    task = factory.LazyAttribute(lambda o: o.responsibility.task)
    department = factory.LazyAttribute(lambda o: o.responsibility.department)
    role = factory.LazyAttribute(lambda o: o.responsibility.role)
    deadline = date(2030, 12, 31)


class ReportingPeriodFactory(DjangoModelFactory):
    class Meta:
        model = ReportingPeriod

    plan = factory.SubFactory(PlanFactory)
    code = factory.Sequence(lambda n: f"P{n}")
    title = factory.LazyAttribute(lambda o: f"报告期{o.code}")
    starts_on = date(2019, 1, 1)
    ends_on = date(2019, 6, 30)
    due_on = date(2019, 7, 15)


def _latest_period(report) -> ReportingPeriod:
    """The plan's newest reporting period (the open one of a loaded plan), or a new one."""
    plan = report.assignment.task.plan
    return plan.reporting_periods.order_by("-starts_on").first() or ReportingPeriodFactory(
        plan=plan
    )


class ProgressReportFactory(DjangoModelFactory):
    class Meta:
        model = ProgressReport

    assignment = factory.SubFactory(AssignmentFactory)
    period = factory.LazyAttribute(_latest_period)
    status = ProgressReport.Status.IN_PROGRESS
    percent = 30
    progress = "已完成调研"
    created_by = factory.SubFactory(
        UserFactory, department=factory.SelfAttribute("..assignment.department")
    )
    updated_by = factory.SelfAttribute("created_by")
