from django.urls import path

from . import views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/assignments/", views.assignment_drilldown, name="dashboard_assignments"),
    path("dashboard/reporting/", views.reporting_status, name="dashboard_reporting"),
]
