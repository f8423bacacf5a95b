from django.urls import path

from . import views

urlpatterns = [
    path("public/", views.public_index, name="public_index"),
    path("public/<slug:slug>/", views.public_plan, name="public_plan"),
]
