"""/api/v1/bookings/: book a session, read and cancel a booking with its token.
/api/v1/residency-applications/: apply to a residency programme, read and withdraw the application with its token.
"""

from rest_framework.routers import SimpleRouter

from bookings.api.residency import ResidencyApplicationViewSet
from bookings.api.views import BookingViewSet

app_name = "bookings-api"

router = SimpleRouter()
router.register("bookings", BookingViewSet, basename="booking")
router.register("residency-applications", ResidencyApplicationViewSet, basename="residency-application")

urlpatterns = router.urls
