from django.urls import path

from . import views

urlpatterns = [
    path("plan/", views.plan_detail, name="plan_detail"),
    path("plans/<slug:slug>/", views.plan_show, name="plan_show"),
    path("tasks/", views.task_list, name="task_list"),
]
