"""The waiting lists in the admin: every entry of the operator's sessions, taking a party off a list, and each
session's list on its page (bookings/admin.py adds it there)."""

from django.contrib import admin, messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bookings import services
from bookings.errors import BookingError
from bookings.models import WaitlistEntry
from outbox.admin import OutgoingEmailInline
from villages.admin_base import VillageScopedAdmin

# A cell starting with one of these is a formula to Excel: exported free text gets a leading apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def party(booking) -> str:
    """A booking's or an entry's party in words (the bookings' admin shows it too)."""
    return gettext("%(adults)s adults + %(children)s children") % {
        "adults": booking.adults,
        "children": booking.children,
    }


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(VillageScopedAdmin):
    """The waiting lists, to read: entries come from visitors, offers and claims from the services. An operator may
    take a party off a list (after a phone call); seats held for it go to the next party."""

    view_on_site = False  # the visitor's page holds their secret token
    list_display = ["reference", "session", "party_size", "status", "name", "phone", "created_at", "offer_expires_at"]
    list_filter = [
        "status",
        ("session", admin.RelatedOnlyFieldListFilter),
        ("session__experience__village", admin.RelatedOnlyFieldListFilter),
        ("session__experience", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["reference", "name", "email", "phone"]
    date_hierarchy = "session__starts_at"
    list_select_related = ["session__experience"]
    fields = readonly_fields = [
        "reference",
        "session",
        "adults",
        "children",
        "status",
        "name",
        "email",
        "phone",
        "language",
        "created_at",
        "offered_at",
        "offer_expires_at",
        "closed_at",
        "booking",
    ]
    inlines = [OutgoingEmailInline]
    actions = ["take_off_the_list"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("party"))
    def party_size(self, entry):
        return party(entry)

    @admin.action(description=_("Take off the waiting list (seats held go to the next party)"), permissions=["change"])
    def take_off_the_list(self, request, queryset):
        done = 0
        for entry in queryset:
            try:
                services.leave_waitlist(entry.pk)
            except BookingError as error:
                self.message_user(request, f"{entry.reference}: {error.message}", messages.WARNING)
                continue
            done += 1
            self.log_change(request, entry, gettext("Taken off the waiting list."))
        self.message_user(request, gettext("%(count)s taken off.") % {"count": done}, messages.SUCCESS)


class WaitlistInline(admin.TabularInline):
    """The session's waiting list in its order, to read."""

    model = WaitlistEntry
    extra = 0
    can_delete = False
    show_change_link = True
    fields = readonly_fields = ["reference", "party_size", "name", "phone", "status", "offer_expires_at"]
    ordering = ["created_at", "pk"]
    verbose_name_plural = _("waiting list")

    @admin.display(description=_("party"))
    def party_size(self, entry):
        return party(entry)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
