from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "outbox"
    verbose_name = _("Emails")

    def ready(self):
        from core.personal_data import register_holder
        from outbox.personal_data import HOLDER

        register_holder(HOLDER)
