"""What an email says is the business of the app it is about: bookings and residency each register a writer for
their kinds (in their AppConfig.ready). The outbox asks the writer for the message and sends it under one Message-ID
that every attempt shares, so that a mail client folds a second delivery into the first."""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from outbox.models import OutgoingEmail


def _never(email: OutgoingEmail) -> bool:
    return False


@dataclass(frozen=True)
class Writer:
    build: Callable[[OutgoingEmail], EmailMessage]
    # True when the email no longer makes sense (its booking was cancelled first): it is dropped, not sent.
    called_off: Callable[[OutgoingEmail], bool] = _never


_WRITERS: dict[str, Writer] = {}


def register(kinds: Iterable[str], *, build, called_off=_never) -> None:
    for kind in kinds:
        _WRITERS[kind] = Writer(build, called_off)


def writer_for(email: OutgoingEmail) -> Writer:
    return _WRITERS[email.kind]


def message_id(email: OutgoingEmail) -> str:
    """The same on every attempt; unique to the row (its id and creation time), under the sender's domain."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return f"<outbox-{email.pk}-{email.created_at:%Y%m%d%H%M%S%f}@{domain}>"


def build_message(email: OutgoingEmail) -> EmailMessage:
    message = writer_for(email).build(email)
    message.extra_headers["Message-ID"] = message_id(email)
    return message


# --- For the writers: every email is a text and an HTML part from templates/emails/, in the row's language.


def html_lang(language: str) -> str:
    return "zh-Hans" if language == "zh-hans" else language


def tidy_text(text: str) -> str:
    """Template tags leave trailing spaces and runs of blank lines; a plain-text email should have neither."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"


def one_line(subject: str) -> str:
    """A header is one line, whatever an operator typed into a title."""
    return " ".join(subject.split())


def render_parts(template: str, context: dict) -> tuple[str, str]:
    """emails/<template>.txt and .html, rendered in the active language: (text, html)."""
    context = {
        **context,
        "html_lang": html_lang(translation.get_language()),
        "site_url": settings.SITE_URL,
        "privacy_url": settings.SITE_URL + reverse("privacy"),
    }
    return tidy_text(render_to_string(f"emails/{template}.txt", context)), render_to_string(
        f"emails/{template}.html", context
    )
