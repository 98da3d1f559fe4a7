"""The visitor's booking pages, under /<lang>/bookings/."""

from django.urls import path

from bookings import views
from core.secret_links import REFERENCE_IN_PATH

app_name = "bookings"
urlpatterns = [
    path("new/<slug:slug>/", views.create, name="create"),
    path(f"<{REFERENCE_IN_PATH}:reference>/", views.manage, name="manage"),
    path(f"<{REFERENCE_IN_PATH}:reference>/cancel/", views.cancel, name="cancel"),
    path(f"<{REFERENCE_IN_PATH}:reference>/calendar.ics", views.calendar, name="calendar"),
]
