"""/api/v1/: villages, experiences and their sessions, residency programmes (read-only)."""

from rest_framework.routers import DefaultRouter

from villages.api.views import ExperienceViewSet, ResidencyProgramViewSet, VillageViewSet

app_name = "api"

router = DefaultRouter()
router.register("villages", VillageViewSet, basename="village")
router.register("experiences", ExperienceViewSet, basename="experience")
router.register("residency-programs", ResidencyProgramViewSet, basename="residency-program")

urlpatterns = router.urls
