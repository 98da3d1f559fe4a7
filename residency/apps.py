from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResidencyConfig(AppConfig):
    name = "residency"
    verbose_name = _("Residency")

    def ready(self):
        from outbox.models import OutgoingEmail
        from residency import demo, emails
        from residency.models import ResidencyApplication, ResidencyProgram
        from villages.demo import register_demo_loader
        from villages.scoping import register_scope

        register_scope(ResidencyProgram, "village")
        register_scope(ResidencyApplication, "program__village")
        register_scope(OutgoingEmail, "application__program__village")
        emails.register_writers()
        register_demo_loader(demo.load_programs)
