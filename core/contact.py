"""Contact details as the booking rules want them: one normalised form, or a clear refusal."""

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

DEFAULT_PHONE_REGION = "CN"
INVALID_PHONE = _("Enter a valid phone number, e.g. 13800138000 or +44 20 7946 0958.")


def normalised_phone(raw: str) -> str:
    """A valid Chinese mobile (13800138000) or international number (+44 20 7946 0958), as E.164."""
    try:
        number = phonenumbers.parse(raw or "", DEFAULT_PHONE_REGION)
    except phonenumbers.NumberParseException as error:
        raise ValidationError(
            _("Enter a valid phone number, e.g. 13800138000 or +44 20 7946 0958."), code="phone"
        ) from error
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(INVALID_PHONE, code="phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalised_email(raw: str) -> str:
    email = (raw or "").strip()
    validate_email(email)
    return email


EMAIL_IN_TEXT = re.compile(r"[\w.+-]+@([\w-]+(?:\.[\w-]+)+)")


def without_addresses(text: str) -> str:
    """Text for a log line or an error column: every email address in it reduced to its domain (***@example.com)."""
    return EMAIL_IN_TEXT.sub(r"***@\1", text)
