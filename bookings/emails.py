"""Rendering outgoing emails (placeholder until the full templates land)."""

from django.core.mail import EmailMultiAlternatives


def build_message(email) -> EmailMultiAlternatives:
    return EmailMultiAlternatives(subject=email.get_kind_display(), body=str(email.booking), to=[email.recipient])
