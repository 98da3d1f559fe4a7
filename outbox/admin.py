"""The outbox in the admin: each village's emails, why one failed, and "send again". Nothing here is editable."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from outbox import services
from outbox.models import OutgoingEmail
from villages.admin_base import VillageScopedAdmin


class OutgoingEmailInline(admin.TabularInline):
    """The emails about a booking, an application or a waiting-list entry, on its page."""

    model = OutgoingEmail
    extra = 0
    can_delete = False
    fields = ["kind", "recipient", "status", "attempts", "sent_at", "last_error"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(VillageScopedAdmin):
    list_display = [
        "kind",
        "recipient",
        "booking",
        "application",
        "waitlist_entry",
        "status",
        "attempts",
        "created_at",
        "sent_at",
    ]
    list_filter = ["status", "kind"]
    search_fields = ["recipient", "booking__reference", "application__reference", "waitlist_entry__reference"]
    list_select_related = ["booking", "application", "waitlist_entry"]
    readonly_fields = [
        "kind",
        "booking",
        "application",
        "waitlist_entry",
        "revision",
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
