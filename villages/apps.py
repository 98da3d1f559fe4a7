from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VillagesConfig(AppConfig):
    name = "villages"
    verbose_name = _("Villages")

    def ready(self):
        from core import page_cache
        from villages.models import VillageMembership

        # Everything of this app is on the public pages but who operates which village.
        page_cache.watch(*(model for model in self.get_models() if model is not VillageMembership))
