"""The codes people read and the secrets they hold: references (read out on the phone), tokens (the key in a link)."""

import secrets

from django.db import IntegrityError, transaction

READABLE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: easy to read out on the phone
INSERT_ATTEMPTS = 5


def readable_code(length: int) -> str:
    return "".join(secrets.choice(READABLE_ALPHABET) for _ in range(length))


def new_token() -> str:
    """The secret of a link: 256 random bits."""
    return secrets.token_urlsafe(32)


def insert_with_fresh_codes(create, *, on_conflict=None):
    """Insert a row whose unique codes are drawn at random by `create()`, in a savepoint, drawing again on the rare
    collision. `on_conflict()` runs after each IntegrityError, to raise when the conflict is no collision of codes
    (the same request twice, the same person twice)."""
    for _attempt in range(INSERT_ATTEMPTS):
        try:
            with transaction.atomic():
                return create()
        except IntegrityError:
            if on_conflict is not None:
                on_conflict()
    raise IntegrityError("could not find a free code")
