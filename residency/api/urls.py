"""/api/v1/residency-programs/ (read-only) and /api/v1/residency-applications/: apply, read and withdraw with the
token."""

from rest_framework.routers import SimpleRouter

from residency.api.views import ResidencyApplicationViewSet, ResidencyProgramViewSet

app_name = "residency-api"

router = SimpleRouter()
router.register("residency-programs", ResidencyProgramViewSet, basename="residency-program")
router.register("residency-applications", ResidencyApplicationViewSet, basename="residency-application")

urlpatterns = router.urls
