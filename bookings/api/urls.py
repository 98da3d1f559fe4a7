"""/api/v1/bookings/: book a session, read and cancel a booking with its token."""

from rest_framework.routers import SimpleRouter

from bookings.api.views import BookingViewSet

app_name = "bookings-api"

router = SimpleRouter()
router.register("bookings", BookingViewSet, basename="booking")

urlpatterns = router.urls
