from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from bookings import services
from bookings.errors import BookingError
from bookings.models import Booking, OutgoingEmail
from villages.admin_base import VillageScopedAdmin


class OutgoingEmailInline(admin.TabularInline):
    model = OutgoingEmail
    extra = 0
    can_delete = False
    fields = ["kind", "recipient", "status", "attempts", "sent_at", "last_error"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Booking)
class BookingAdmin(VillageScopedAdmin):
    list_display = ["reference", "session", "adults", "children", "total_price", "status", "name", "created_at"]
    list_filter = ["status", "session__experience__village", "session__experience"]
    search_fields = ["reference", "name", "email", "phone", "check_in_code"]
    date_hierarchy = "created_at"
    list_select_related = ["session__experience"]
    readonly_fields = [
        "reference",
        "check_in_code",
        "session",
        "adults",
        "children",
        "total_price",
        "status",
        "language",
        "created_at",
        "processed_at",
        "confirmed_at",
        "cancelled_at",
        "cancelled_by",
        "checked_in_at",
    ]
    fields = ["name", "email", "phone", "notes", *readonly_fields]
    inlines = [OutgoingEmailInline]
    actions = ["approve", "cancel"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _each(self, request, queryset, operation, done_message):
        done = 0
        for booking in queryset:
            try:
                operation(booking)
                done += 1
            except BookingError as error:
                self.message_user(request, f"{booking.reference}: {error.message}", messages.WARNING)
        self.message_user(request, done_message % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Approve selected bookings"))
    def approve(self, request, queryset):
        self._each(request, queryset, lambda booking: services.approve_booking(booking.pk), _("%(count)s approved."))

    @admin.action(description=_("Cancel selected bookings (the visitors are emailed)"))
    def cancel(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda booking: services.cancel_booking(booking.pk, by=Booking.CancelledBy.OPERATOR),
            _("%(count)s cancelled."),
        )


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(VillageScopedAdmin):
    list_display = ["kind", "recipient", "booking", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["recipient", "booking__reference"]
    list_select_related = ["booking"]
    readonly_fields = [
        "kind",
        "booking",
        "recipient",
        "language",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "next_attempt_at",
        "claimed_at",
        "sent_at",
    ]
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Send failed emails again"))
    def send_again(self, request, queryset):
        count = services.retry_failed_emails(queryset.values_list("pk", flat=True))
        self.message_user(request, _("%(count)s email(s) queued again.") % {"count": count}, messages.SUCCESS)
