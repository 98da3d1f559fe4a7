"""`{% failed_emails as failed %}`: the outbox's block of the admin dashboard."""

from django import template
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from outbox.models import OutgoingEmail
from villages.scoping import scoped_for

register = template.Library()


@register.simple_tag(takes_context=True)
def failed_emails(context) -> dict:
    """How many of the user's villages' emails could not be sent, and where to see them."""
    request = context.get("request")
    user = getattr(request, "user", None) or AnonymousUser()
    return {
        "count": scoped_for(OutgoingEmail, user).filter(status=OutgoingEmail.Status.FAILED).count(),
        "url": reverse("admin:outbox_outgoingemail_changelist") + "?status__exact=failed",
    }
