"""`manage.py seed_demo`: load the demo villages of villages/demo_content.py in both languages.

Running it again on the same day changes nothing: content is matched by slug and saved only when it differs,
sessions are matched by (experience, start), pictures are drawn only when missing. Sessions are planned for the
next four weeks (Shanghai time), on in-season days only; an experience out of season for all four weeks gets
sessions in the first two weeks of its next season instead, so every demo experience can be booked.
"""

from collections import Counter
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from villages import demo_content
from villages.demo import DEMO_LOADERS
from villages.demo_pictures import draw_scene
from villages.demo_routes import load_routes
from villages.models import (
    District,
    Experience,
    ExperienceImage,
    Honour,
    Organisation,
    Session,
    Town,
    Venue,
    Village,
    VillageHonour,
    VillageImage,
    VillageMembership,
)
from villages.operators import save_operator

WINDOW_DAYS = 28
FALLBACK_DAYS = 14
COVER_SIZE = (1600, 900)
PICTURE_SIZE = (1200, 800)


# --- Sessions -------------------------------------------------------------------------------------------------


def _starts_between(first: date, last: date, timetable, months) -> list[datetime]:
    tz = timezone.get_default_timezone()
    starts = []
    day = first
    while day <= last:
        if day.month in months:
            for weekdays, times in timetable:
                if day.weekday() in weekdays:
                    starts.extend(datetime.combine(day, moment, tzinfo=tz) for moment in times)
        day += timedelta(days=1)
    return sorted(starts)


def next_season_start(after: date, months) -> date:
    """The first day of the first in-season month that begins after `after`."""
    year, month = after.year, after.month
    for _step in range(12):
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        if month in months:
            return date(year, month, 1)
    raise ValueError("a season needs at least one month")


def planned_starts(timetable, months, today: date) -> list[datetime]:
    """Session starts from tomorrow for four weeks, on in-season days; else the first two weeks of the next season."""
    months = set(months)
    first, last = today + timedelta(days=1), today + timedelta(days=WINDOW_DAYS)
    starts = _starts_between(first, last, timetable, months)
    if not starts:
        season_start = next_season_start(last, months)
        starts = _starts_between(season_start, season_start + timedelta(days=FALLBACK_DAYS - 1), timetable, months)
    return starts


# --- Loading ---------------------------------------------------------------------------------------------------


class Command(BaseCommand):
    help = (
        "Load the demo villages (水库村, 岑卜村) with venues, experiences, sessions, drawn pictures and the demo "
        "residency programmes."
    )

    def handle(self, *args, **options):
        self.counts = {}
        self.pictures_drawn = 0
        self.sessions = Counter()
        with transaction.atomic():
            self.load()
            self.load_operators()
        self.report()

    def load_operators(self):
        """One operator account per demo village, for trying the admin; only on a development install."""
        if not settings.DEBUG:
            self.stdout.write(_("Demo operator accounts are only created when DEBUG is on."))
            return
        User = get_user_model()
        for slug, username in demo_content.DEMO_OPERATORS.items():
            if not User.objects.filter(username=username).exists():
                user = User(username=username, email=f"{username}@example.com")
                save_operator(
                    user,
                    Village.objects.filter(slug=slug),
                    role=VillageMembership.Role.MANAGER,
                    password=demo_content.DEMO_OPERATOR_PASSWORD,
                )
                self.stdout.write(f"{username} operates {slug} (demo).")

    # Content

    def upsert(self, model, lookup: dict, values: dict):
        """Create, or update only the fields that differ, so a second run leaves rows (and updated_at) alone."""
        counts = self.counts.setdefault(model, Counter())
        instance = model.objects.filter(**lookup).first()
        if instance is None:
            instance = model(**lookup, **values)
            instance.full_clean(exclude=self.image_fields(model))
            instance.save()
            counts["created"] += 1
            return instance
        changed = False
        for name, value in values.items():
            field = model._meta.get_field(name)
            current = getattr(instance, field.attname)
            wanted = value.pk if isinstance(value, models.Model) else value
            if current != wanted:
                setattr(instance, name, value)
                changed = True
        if changed:
            instance.full_clean(exclude=self.image_fields(model))
            instance.save()
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
        return instance

    @staticmethod
    def image_fields(model) -> list[str]:
        return [field.name for field in model._meta.fields if isinstance(field, models.ImageField)]

    def ensure_picture(self, instance, field_name: str, picture: dict, size, seed: str) -> bool:
        """Attach a drawn picture when the field is empty or its file is gone; the field cleans and thumbnails it."""
        field_file = getattr(instance, field_name)
        if field_file and field_file.storage.exists(field_file.name):
            return False
        content = draw_scene(picture["scene"], picture["palette"], size, seed)
        setattr(instance, field_name, ContentFile(content, name=f"{seed}.jpg"))
        self.pictures_drawn += 1
        return True

    def load(self):
        districts = {
            item["slug"]: self.upsert(District, {"slug": item["slug"]}, without(item, "slug"))
            for item in demo_content.DISTRICTS
        }
        towns = {
            item["slug"]: self.upsert(
                Town,
                {"slug": item["slug"]},
                {**without(item, "slug", "district"), "district": districts[item["district"]]},
            )
            for item in demo_content.TOWNS
        }
        organisations = {
            item["slug"]: self.upsert(Organisation, {"slug": item["slug"]}, without(item, "slug"))
            for item in demo_content.ORGANISATIONS
        }
        honours = {
            item["slug"]: self.upsert(Honour, {"slug": item["slug"]}, without(item, "slug"))
            for item in demo_content.HONOURS
        }
        villages = {}
        for item in demo_content.VILLAGES:
            villages[item["slug"]] = self.load_village(item, towns, organisations, honours)
        for item in demo_content.EXPERIENCES:
            self.load_experience(item, villages[item["village"]])
        load_routes(self, villages)
        today = timezone.localdate(timezone=timezone.get_default_timezone())
        for loader in DEMO_LOADERS:
            loader(self, villages, today)

    def load_village(self, item, towns, organisations, honours) -> Village:
        cover = item["cover"]
        values = {
            **without(item, "slug", "town", "operator", "cover", "gallery", "honours", "venues"),
            "town": towns[item["town"]],
            "operator": organisations[item["operator"]] if item["operator"] else None,
            "cover_image_alt_zh_hans": cover["alt_zh_hans"],
            "cover_image_alt_en": cover["alt_en"],
            "is_published": True,
        }
        village = self.upsert(Village, {"slug": item["slug"]}, values)
        if self.ensure_picture(village, "cover_image", cover, COVER_SIZE, f"{village.slug}-cover"):
            village.save()

        for honour in item["honours"]:
            self.upsert(
                VillageHonour,
                {"village": village, "honour": honours[honour["honour"]]},
                without(honour, "honour"),
            )
        # A database seeded before keeps no honour the content no longer gives (岑卜村 was never awarded its title).
        village.village_honours.exclude(honour__slug__in=[honour["honour"] for honour in item["honours"]]).delete()
        for position, venue in enumerate(item["venues"], start=1):
            self.upsert(
                Venue, {"village": village, "slug": venue["slug"]}, {**without(venue, "slug"), "position": position}
            )
        for position, picture in enumerate(item["gallery"], start=1):
            texts = {
                "alt_text_zh_hans": picture["alt_zh_hans"],
                "alt_text_en": picture["alt_en"],
                **demo_content.ILLUSTRATION_CAPTION,
            }
            self.load_picture(
                VillageImage, {"village": village, "position": position}, texts, picture, f"{village.slug}-{position}"
            )
        return village

    def load_picture(self, model, lookup, texts, picture, seed):
        """A gallery row keyed by its owner and position: texts kept up to date, the file drawn only if missing."""
        instance = model.objects.filter(**lookup).first()
        if instance is None:
            instance = model(**lookup, **texts)
            self.ensure_picture(instance, "image", picture, PICTURE_SIZE, seed)
            instance.save()
            self.counts.setdefault(model, Counter())["created"] += 1
            return instance
        instance = self.upsert(model, lookup, texts)
        if self.ensure_picture(instance, "image", picture, PICTURE_SIZE, seed):
            instance.save()
        return instance

    def load_experience(self, item, village: Village) -> Experience:
        venue = Venue.objects.get(village=village, slug=item["venue"]) if item["venue"] else None
        values = {
            **without(item, "slug", "village", "venue", "season_months", "timetable", "picture"),
            "village": village,
            "venue": venue,
            "season_mask": demo_content.season_mask(item),
            "is_published": True,
        }
        experience = self.upsert(Experience, {"slug": item["slug"]}, values)
        picture = item["picture"]
        self.load_picture(
            ExperienceImage,
            {"experience": experience, "position": 1},
            {"alt_text_zh_hans": picture["alt_zh_hans"], "alt_text_en": picture["alt_en"]},
            picture,
            experience.slug,
        )
        today = timezone.localdate(timezone=timezone.get_default_timezone())
        for starts_at in planned_starts(item["timetable"], experience.season_months, today):
            _session, created = Session.objects.get_or_create(
                experience=experience,
                starts_at=starts_at,
                defaults={
                    "ends_at": starts_at + timedelta(minutes=experience.duration_minutes),
                    "capacity": experience.capacity,
                },
            )
            self.sessions["created" if created else "existing"] += 1
        return experience

    # Summary

    def report(self):
        for model, counts in self.counts.items():
            self.stdout.write(
                _("%(things)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
                % {
                    "things": str(model._meta.verbose_name_plural).capitalize(),
                    "created": counts["created"],
                    "updated": counts["updated"],
                    "unchanged": counts["unchanged"],
                }
            )
        self.stdout.write(
            _("Sessions: %(created)d created, %(existing)d already there.")
            % {"created": self.sessions["created"], "existing": self.sessions["existing"]}
        )
        self.stdout.write(_("Pictures drawn: %(count)d.") % {"count": self.pictures_drawn})
        self.stdout.write(self.style.SUCCESS(_("The demo villages are loaded.")))


def without(item: dict, *keys: str) -> dict:
    return {key: value for key, value in item.items() if key not in keys}
