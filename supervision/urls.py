from django.urls import path

from . import views

urlpatterns = [
    path("reminders/", views.reminder_list, name="reminder_list"),
    path("reminders/new/", views.reminder_new, name="reminder_new"),
    path("reminders/<int:reminder_id>/", views.reminder_detail, name="reminder_detail"),
    path(
        "reminders/<int:reminder_id>/acknowledge/",
        views.reminder_acknowledge,
        name="reminder_acknowledge",
    ),
    path("reminders/<int:reminder_id>/reply/", views.reminder_reply, name="reminder_reply"),
    path("tasks/<int:task_id>/sign-off/", views.task_sign_off, name="task_sign_off"),
    path("tasks/<int:task_id>/reopen/", views.task_reopen, name="task_reopen"),
    path("inspections/", views.inspection_list, name="inspection_list"),
    path("inspections/new/", views.inspection_new, name="inspection_new"),
    path("inspections/<int:inspection_id>/", views.inspection_detail, name="inspection_detail"),
    path("inspections/<int:inspection_id>/findings/", views.finding_new, name="finding_new"),
]
