"""`{% operator_dashboard as dashboard %}`: the operator's dashboard for the admin index page."""

from django import template
from django.contrib.auth.models import AnonymousUser

from bookings.selectors import dashboard_for

register = template.Library()


@register.simple_tag(takes_context=True)
def operator_dashboard(context):
    """dashboard_for() of the request's user; nothing of any village when there is no request or user."""
    request = context.get("request")
    return dashboard_for(getattr(request, "user", None) or AnonymousUser())
