"""/api/v1/: villages, experiences and their sessions (read-only)."""

from rest_framework.routers import DefaultRouter

from villages.api.views import ExperienceViewSet, VillageViewSet

app_name = "api"

router = DefaultRouter()
router.register("villages", VillageViewSet, basename="village")
router.register("experiences", ExperienceViewSet, basename="experience")

urlpatterns = router.urls
