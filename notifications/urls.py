from django.urls import path

from . import views

urlpatterns = [
    path("notifications/", views.inbox, name="notification_inbox"),
    path(
        "notifications/<int:notification_id>/open/",
        views.notification_open,
        name="notification_open",
    ),
    path("notifications/read-all/", views.notifications_read_all, name="notifications_read_all"),
]
