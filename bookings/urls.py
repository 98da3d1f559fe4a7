"""The visitor's booking pages, under /<lang>/bookings/."""

from django.urls import path

from bookings import views
from core.secret_links import REFERENCE_IN_PATH

app_name = "bookings"
urlpatterns = [
    path("new/<slug:slug>/", views.create, name="create"),
    path(f"waitlist/<{REFERENCE_IN_PATH}:reference>/", views.waitlist, name="waitlist"),
    path(f"waitlist/<{REFERENCE_IN_PATH}:reference>/claim/", views.claim, name="waitlist_claim"),
    path(f"waitlist/<{REFERENCE_IN_PATH}:reference>/leave/", views.leave, name="waitlist_leave"),
    path(f"<{REFERENCE_IN_PATH}:reference>/", views.manage, name="manage"),
    path(f"<{REFERENCE_IN_PATH}:reference>/cancel/", views.cancel, name="cancel"),
    path(f"<{REFERENCE_IN_PATH}:reference>/move/", views.move, name="move"),
    path(f"<{REFERENCE_IN_PATH}:reference>/calendar.ics", views.calendar, name="calendar"),
]
