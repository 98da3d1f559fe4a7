"""How generated rows are marked, numbered and written: the gen- prefix, booking codes that never collide, COPY."""

from django.core.management.base import CommandError
from django.db import connection

from core.codes import READABLE_ALPHABET
from villages.models import Experience, Village

GENERATED_PREFIX = "gen-"
GENERATED_EMAIL_DOMAIN = "generated.invalid"
REFERENCE_PREFIX = "GE"  # what the booking service would write for a village whose slug starts with gen-
PAST_DAYS = 60
AHEAD_DAYS = 180
FIREFLY_EVERY = 1000  # one experience in this many is about fireflies: a search for 萤火虫 finds a few villages

# Bijections of 0..N-1 onto themselves (a multiplier coprime with the alphabet's powers): every booking number gets a
# reference and a check-in code of its own, never drawn twice, without asking the database.
REFERENCE_SPACE = len(READABLE_ALPHABET) ** 6
CHECK_IN_SPACE = len(READABLE_ALPHABET) ** 8
REFERENCE_MULTIPLIER = 548_503_967  # about the golden ratio of the space: neighbours look unrelated
CHECK_IN_MULTIPLIER = 527_114_017_711


def code(number: int, length: int) -> str:
    letters = []
    for _ in range(length):
        number, digit = divmod(number, len(READABLE_ALPHABET))
        letters.append(READABLE_ALPHABET[digit])
    return "".join(reversed(letters))


def booking_codes(number: int) -> tuple[str, str]:
    """The reference and check-in code of generated booking `number`: in the service's formats, distinct for every
    number (a reference the service draws for a generated village could meet one; it draws again, as on any
    collision)."""
    reference = code((number * REFERENCE_MULTIPLIER + 12345) % REFERENCE_SPACE, 6)
    check_in = code((number * CHECK_IN_MULTIPLIER + 67890) % CHECK_IN_SPACE, 8)
    return f"{REFERENCE_PREFIX}-{reference}", check_in


def generated_villages():
    return Village.objects.filter(slug__startswith=GENERATED_PREFIX)


def generated_experiences():
    return Experience.objects.filter(slug__startswith=GENERATED_PREFIX) | Experience.objects.filter(
        village__slug__startswith=GENERATED_PREFIX
    )


def copy_rows(model, names: list[str], rows) -> int:
    """COPY `rows` (tuples in the order of `names`, attnames) into the model's table. The other columns get the
    field's default, so a field added later with a default needs nothing here, and one without refuses clearly;
    generated columns (GeneratedField) are left to the database."""
    fields = [model._meta.get_field(name) for name in names]
    rest = [
        field
        for field in model._meta.concrete_fields
        if not field.primary_key and not field.generated and field.attname not in names  # generated: the database's
    ]
    tail = []
    for field in rest:
        value = field.get_db_prep_save(field.get_default(), connection)
        if value is None and not field.null:
            raise CommandError(f"seed_scale gives no value for {model.__name__}.{field.name}: add it to the command.")
        tail.append(value)
    tail = tuple(tail)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields + rest)
    count = 0
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row + tail)
            count += 1
    return count


def translated_names(field: str) -> list[str]:
    """The column modeltranslation keeps for the default language, then both languages' columns."""
    return [field, f"{field}_zh_hans", f"{field}_en"]


def translated(texts: tuple[str, str]) -> tuple[str, str, str]:
    zh, en = texts
    return zh, zh, en
