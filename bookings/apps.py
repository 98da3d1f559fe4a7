from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingsConfig(AppConfig):
    name = "bookings"
    verbose_name = _("Bookings")

    def ready(self):
        from bookings import emails, personal_data, waitlist_emails
        from bookings.models import Booking, WaitlistEntry
        from core.personal_data import register_holder
        from outbox.models import OutgoingEmail
        from villages.scoping import register_scope

        register_scope(Booking, "session__experience__village")
        register_scope(WaitlistEntry, "session__experience__village")
        register_scope(OutgoingEmail, "booking__session__experience__village")
        register_scope(OutgoingEmail, "waitlist_entry__session__experience__village")
        emails.register_writers()
        waitlist_emails.register_writers()
        register_holder(personal_data.HOLDER)
        register_holder(personal_data.WAITLIST_HOLDER)
