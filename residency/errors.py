"""What the residency services can refuse, each with the HTTP status every surface answers with."""

from django.utils.translation import gettext_lazy as _

from core.errors import Busy, ServiceError


class ApplicationError(ServiceError):
    default_message = _("This application cannot be taken as it is.")


class InvalidApplication(ApplicationError):
    """An application that cannot be taken as sent; the field messages say what to change."""

    default_message = _("This application cannot be sent as it is. Please check the fields marked below.")


class ProgramFull(ApplicationError):
    http_status = 409
    default_message = _("Every place in this cohort is taken. Waitlist the applicant, or free a place first.")


class ProgramBusy(Busy, ApplicationError):
    default_message = _("Another decision on this programme is being saved. Please try again in a moment.")


class InvalidDecision(ApplicationError):
    http_status = 409
    default_message = _("This application is not in a state that allows this.")
