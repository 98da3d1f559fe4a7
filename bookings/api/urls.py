"""/api/v1/bookings/: book a session, read, move and cancel a booking with its token; /api/v1/waitlist/: follow a
waiting-list entry, claim its offer or leave; /api/v1/sessions/{id}/waitlist/: join a full session's list."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from bookings.api.views import BookingViewSet, WaitlistViewSet

app_name = "bookings-api"

router = SimpleRouter()
router.register("bookings", BookingViewSet, basename="booking")
router.register("waitlist", WaitlistViewSet, basename="waitlist")

urlpatterns = [
    path("sessions/<int:session_id>/waitlist/", WaitlistViewSet.as_view({"post": "join"}), name="session-waitlist"),
    *router.urls,
]
