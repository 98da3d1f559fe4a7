"""Refusals of the services, each with the HTTP status every surface (page, API, admin) answers with. Each domain
subclasses ServiceError with its own wording; nothing here knows a domain."""

from django.utils.translation import gettext_lazy as _


class ServiceError(Exception):
    """A refusal with a message the user can act on, and field messages where one field is at fault."""

    http_status = 400
    retry_after_seconds: int | None = None
    default_message = _("This cannot be done as asked.")

    def __init__(self, message=None, *, fields: dict | None = None):
        self.message = message or self.default_message
        self.fields = fields or {}
        super().__init__(str(self.message))

    def as_dict(self) -> dict:
        """Field messages, or the message under `detail` when no single field is to blame."""
        if self.fields:
            return {field: [str(message) for message in messages] for field, messages in self.fields.items()}
        return {"detail": str(self.message)}


class Busy(ServiceError):
    """A lock could not be had in time (core.locking): someone else is changing the same thing right now."""

    http_status = 503
    retry_after_seconds = 2
    default_message = _("This is being changed by someone else right now. Please try again in a moment.")
