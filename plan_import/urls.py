from django.urls import path

from . import views

app_name = "plan_import"

urlpatterns = [
    path("plans/import/", views.upload, name="upload"),
    path("plans/import/<int:import_id>/", views.review, name="review"),
    path("plans/import/<int:import_id>/publish/", views.publish, name="publish"),
    path("plans/import/<int:import_id>/discard/", views.discard, name="discard"),
    path(
        "plans/import/<int:import_id>/bodies/<int:body_id>/",
        views.body_change,
        name="body_change",
    ),
    path(
        "plans/import/<int:import_id>/bodies/<int:body_id>/new/",
        views.body_new,
        name="body_new",
    ),
    path(
        "plans/import/<int:import_id>/clauses/<int:clause_id>/bodies/",
        views.body_add,
        name="body_add",
    ),
    path(
        "plans/import/<int:import_id>/clauses/<int:clause_id>/title/",
        views.clause_title,
        name="clause_title",
    ),
    path(
        "plans/import/<int:import_id>/clauses/<int:clause_id>/split/",
        views.clause_split,
        name="clause_split",
    ),
    path(
        "plans/import/<int:import_id>/clauses/<int:clause_id>/merge/",
        views.clause_merge,
        name="clause_merge",
    ),
]
