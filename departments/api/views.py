import django_filters
from rest_framework import viewsets

from core.api import FilterSet, YearFilter
from departments import selectors
from departments.models import Department, Region

from .serializers import DepartmentSerializer, RegionSerializer


class RegionFilter(FilterSet):
    year = YearFilter(method="filter_year", label="在该年份有效")

    class Meta:
        model = Region
        fields = ["kind", "parent", "code"]

    def filter_year(self, queryset, name, value):
        return queryset.valid_in(value)


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """Places: the city, its counties and every township-level unit."""

    serializer_class = RegionSerializer
    filterset_class = RegionFilter
    queryset = selectors.region_list()


class DepartmentFilter(FilterSet):
    name = django_filters.CharFilter(method="filter_name", label="简称或别名")

    class Meta:
        model = Department
        fields = ["kind", "region"]

    def filter_name(self, queryset, name, value):
        return queryset.by_name(value)


class DepartmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Every body the plan names, collectives and placeholders included."""

    serializer_class = DepartmentSerializer
    filterset_class = DepartmentFilter
    queryset = selectors.department_list()
