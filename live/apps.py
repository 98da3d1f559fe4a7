from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    name = "live"
    verbose_name = _("Live streams")

    def ready(self):
        from core import page_cache
        from live import demo
        from live.models import LiveStream
        from villages.demo import register_demo_loader
        from villages.scoping import register_scope

        register_scope(LiveStream, "village")
        page_cache.watch(LiveStream)
        register_demo_loader(demo.load_streams)
