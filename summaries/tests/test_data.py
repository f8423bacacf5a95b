"""The data contract: values in step with the models, derived figures, laziness."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from summaries.documents.data import (
    BodyKind,
    Figures,
    Light,
    LightCounts,
    Period,
    ReportStatus,
    Role,
    RoleCounts,
    StatusCounts,
)
from summaries.documents.sample import sample_summary

from .conftest import OneShot, with_parts


def test_enumeration_values_are_the_models_values():
    """A collector writes Role(assignment.role): the values must stay the same strings."""
    from departments.models import DepartmentKind
    from reports.lights import Light as ModelLight
    from reports.models import ProgressReport
    from tasks.models import Role as ModelRole

    assert set(Role.values) == set(ModelRole.values)
    assert set(ReportStatus.values) == set(ProgressReport.Status.values) | {"not_reported"}
    assert set(Light.values) == set(ModelLight.values)
    assert set(BodyKind.values) <= set(DepartmentKind.values)


def test_counts_total_and_list_in_reading_order():
    lights = LightCounts(red=1, yellow=2, green=3, done=4)
    assert lights.total == 10
    assert [light for light, _ in lights.items()] == [
        Light.DONE,
        Light.GREEN,
        Light.YELLOW,
        Light.RED,
    ]
    assert StatusCounts(in_progress=2, not_reported=1).total == 3
    assert RoleCounts(lead=1, support=2).items()[1] == (Role.SUPPORT, 2)


def test_reported_share_is_none_without_assignments():
    figures = Figures(0, 0, LightCounts(), StatusCounts(), 0, 0)
    assert figures.reported_share is None
    assert (
        dataclasses.replace(
            figures, assignments=8, assignments_with_approved_report=6
        ).reported_share
        == 0.75
    )


def test_period_knows_its_half():
    assert Period("2019H1", "2019年上半年", date(2019, 1, 1), date(2019, 6, 30)).half == 1
    assert Period("2019H2", "2019年下半年", date(2019, 7, 1), date(2019, 12, 31)).half == 2


def test_parts_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        sample_summary().header.issuer = "别的单位"  # type: ignore[misc]


def test_bodies_are_counties_then_departments_one_pass_each():
    data = sample_summary()
    counties, departments = OneShot(data.counties), OneShot(data.departments)
    data = with_parts(data, counties=counties, departments=departments)
    names = [section.name for section in data.bodies()]
    assert names == ["平定县人民政府", "盂县人民政府", "市编办", "市民政局"]
    assert counties.passes == departments.passes == 1
