from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResidencyConfig(AppConfig):
    name = "residency"
    verbose_name = _("Residency")

    def ready(self):
        from core import page_cache
        from core.personal_data import register_holder
        from outbox.models import OutgoingEmail
        from residency import demo, emails, personal_data
        from residency.models import ResidencyApplication, ResidencyProgram
        from villages.demo import register_demo_loader
        from villages.scoping import register_scope

        register_scope(ResidencyProgram, "village")
        page_cache.watch(ResidencyProgram)
        register_scope(ResidencyApplication, "program__village")
        register_scope(OutgoingEmail, "application__program__village")
        emails.register_writers()
        register_holder(personal_data.HOLDER)
        register_demo_loader(demo.load_programs)
