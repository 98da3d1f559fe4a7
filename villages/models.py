"""What villages offer: places, honours, venues, experiences and their dated sessions."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Concat, Upper
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from villages import emissions
from villages.images import ProcessedImageField
from villages.months import ALL_MONTHS_MASK, months_from_mask

MONEY = {"max_digits": 10, "decimal_places": 2}
SEARCH_LANGUAGES = ("zh_hans", "en")
SEARCH_SEPARATOR = "\u001f"  # between columns, so that no search text matches across two of them


def search_text(*fields: str) -> models.GeneratedField:
    """One column the database keeps: the upper-cased text of `fields` in both languages, searched by substring.

    On PostgreSQL a trigram (pg_trgm) GIN index on it answers `LIKE '%萤火虫%'` without reading every row (migration
    villages 0008); SQLite (`make run`) scans it, which is fine at demo size.
    """
    columns = [F(f"{field}_{language}") for field in fields for language in SEARCH_LANGUAGES]
    joined = [part for column in columns for part in (column, Value(SEARCH_SEPARATOR))][:-1]
    return models.GeneratedField(
        expression=Upper(Concat(*joined, output_field=models.TextField())),
        output_field=models.TextField(),
        db_persist=True,
    )


class District(models.Model):
    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=50)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self):
        return self.name


class Town(models.Model):
    district = models.ForeignKey(District, models.PROTECT, related_name="towns", verbose_name=_("district"))
    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=50)

    class Meta:
        ordering = ["district__slug", "slug"]
        verbose_name = _("town")
        verbose_name_plural = _("towns")

    def __str__(self):
        return self.name


class Organisation(models.Model):
    """A company or body that runs a village or parts of it (e.g. 微笑草帽乡村发展集团)."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=120)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("operating organisation")
        verbose_name_plural = _("operating organisations")

    def __str__(self):
        return self.name


class Honour(models.Model):
    """A title a village can hold, such as 上海市乡村振兴示范村; the API calls these tags."""

    slug = models.SlugField(_("slug"), unique=True)
    title = models.CharField(_("title"), max_length=120)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("honour")
        verbose_name_plural = _("honours")

    def __str__(self):
        return self.title


class VillageQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Village(models.Model):
    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=80)
    town = models.ForeignKey(Town, models.PROTECT, related_name="villages", verbose_name=_("town"))
    tagline = models.CharField(_("tagline"), max_length=120, blank=True)
    summary = models.TextField(_("summary"), max_length=400)
    description = models.TextField(_("description"), blank=True)
    getting_there = models.TextField(_("getting there from central Shanghai"), blank=True)
    operator = models.ForeignKey(
        Organisation,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="villages",
        verbose_name=_("operating organisation"),
    )
    operating_model = models.CharField(
        _("how it is operated"), max_length=200, blank=True, help_text=_("For example: run as a whole village.")
    )
    operated_since = models.PositiveSmallIntegerField(
        _("operated since (year)"), null=True, blank=True, validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    contact_email = models.EmailField(
        _("operator contact email"), blank=True, help_text=_("Receives notices of new bookings and applications.")
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    cover_image = ProcessedImageField(
        _("cover image"),
        upload_to="villages/covers/",
        blank=True,
        width_field="cover_image_width",
        height_field="cover_image_height",
    )
    cover_image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover_image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover_image_alt = models.CharField(_("cover image description"), max_length=200, blank=True)
    honours = models.ManyToManyField(
        Honour, through="VillageHonour", related_name="villages", blank=True, verbose_name=_("honours")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    searchable_text = search_text("name", "tagline", "summary", "description")

    objects = VillageQuerySet.as_manager()

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("village")
        verbose_name_plural = _("villages")
        indexes = [
            # The published villages in list order: a page of them is read from the top, not sorted from all; with
            # their ids, counting them and joining experiences to them (the experience list's count) read no row.
            # (Key columns rather than INCLUDE, which SQLite lacks; after the unique slug they change no order.)
            models.Index(
                fields=["position", "slug", "id"], condition=Q(is_published=True), name="village_listed_order_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="village_latitude_in_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="village_longitude_in_range",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="village_coordinates_both_or_neither",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        adding = self._state.adding
        super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if not adding and (update_fields is None or "position" in update_fields):
            # The one place a village's position reaches its experiences' sort key (Experience.village_position).
            self.experiences.exclude(village_position=self.position).update(village_position=self.position)

    def get_absolute_url(self):
        return reverse("villages:village_detail", args=[self.slug])

    @property
    def district(self):
        return self.town.district


class VillageHonour(models.Model):
    village = models.ForeignKey(Village, models.CASCADE, related_name="village_honours", verbose_name=_("village"))
    honour = models.ForeignKey(Honour, models.PROTECT, related_name="village_honours", verbose_name=_("honour"))
    year = models.PositiveSmallIntegerField(
        _("year"), null=True, blank=True, validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    note = models.CharField(_("note"), max_length=120, blank=True, help_text=_("For example: first batch."))

    class Meta:
        ordering = ["honour__slug"]
        verbose_name = _("village honour")
        verbose_name_plural = _("village honours")
        constraints = [
            models.UniqueConstraint(fields=["village", "honour"], name="village_honour_once"),
        ]

    def __str__(self):
        return f"{self.honour} ({self.year})" if self.year else str(self.honour)


class VillageImage(models.Model):
    """One picture of a village's gallery, in the operator's chosen order."""

    village = models.ForeignKey(Village, models.CASCADE, related_name="images", verbose_name=_("village"))
    image = ProcessedImageField(
        _("image"), upload_to="villages/gallery/", width_field="image_width", height_field="image_height"
    )
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    alt_text = models.CharField(_("description for screen readers"), max_length=200)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("village photo")
        verbose_name_plural = _("village photos")

    def __str__(self):
        return self.alt_text


class Venue(models.Model):
    """A new space in a village: a café, a garden, a lecture hall, a stage…"""

    class Kind(models.TextChoices):
        CAFE = "cafe", _("Café")
        RESTAURANT = "restaurant", _("Restaurant")
        HOMESTAY = "homestay", _("Homestay")
        GARDEN = "garden", _("Garden")
        LECTURE_HALL = "lecture_hall", _("Lecture hall")
        STAGE = "stage", _("Stage")
        COWORKING = "coworking", _("Coworking space")
        SHOP = "shop", _("Shop")
        OTHER = "other", _("Public space")

    village = models.ForeignKey(Village, models.CASCADE, related_name="venues", verbose_name=_("village"))
    slug = models.SlugField(_("slug"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=80)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        constraints = [
            models.UniqueConstraint(fields=["village", "slug"], name="venue_slug_unique_per_village"),
        ]

    def __str__(self):
        return self.name


class ExperienceQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True, village__is_published=True)


class Experience(models.Model):
    class Kind(models.TextChoices):
        FIREFLY_VIEWING = "firefly_viewing", _("Firefly viewing")
        CYCLING = "cycling", _("Cycling")
        KAYAKING = "kayaking", _("Kayaking")
        WELLNESS = "wellness", _("Wellness")
        PARENT_CHILD = "parent_child", _("Parent and child")
        NOMAD_STAY = "nomad_stay", _("Digital nomad stay")
        LECTURE = "lecture", _("Lecture")
        DINING = "dining", _("Dining")
        HOMESTAY = "homestay", _("Homestay")
        OTHER = "other", _("Other")

    # The terms a visitor books under: one list for the admin's form, its "Booking" section and the API.
    BOOKING_TERMS = (
        "duration_minutes",
        "adult_price",
        "child_price",
        "capacity",
        "min_age",
        "max_party_size",
        "cancellation_window_hours",
        "requires_approval",
        "booking_cutoff_minutes",
    )
    # What a visitor needs to know before they go: one list for the admin, the API, the page and the emails.
    BEFORE_YOU_GO = (
        "meeting_point",
        "meeting_point_latitude",
        "meeting_point_longitude",
        "what_to_bring",
        "accessibility",
        "weather_policy",
    )

    village = models.ForeignKey(Village, models.CASCADE, related_name="experiences", verbose_name=_("village"))
    venue = models.ForeignKey(
        Venue, models.SET_NULL, null=True, blank=True, related_name="experiences", verbose_name=_("venue")
    )
    slug = models.SlugField(_("slug"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"))
    meeting_point = models.CharField(_("meeting point"), max_length=200, blank=True)
    meeting_point_latitude = models.DecimalField(
        _("meeting point latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    meeting_point_longitude = models.DecimalField(
        _("meeting point longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    what_to_bring = models.TextField(_("what to bring"), blank=True)
    accessibility = models.TextField(_("accessibility"), blank=True)
    weather_policy = models.TextField(
        _("weather policy"), blank=True, help_text=_("What happens when the weather is bad.")
    )
    booking_cutoff_minutes = models.PositiveIntegerField(
        _("booking closes (minutes before start)"),
        default=0,
        validators=[MaxValueValidator(14 * 24 * 60)],
        help_text=_("No booking, waiting-list offer or move is accepted later than this before a session starts."),
    )
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), validators=[MinValueValidator(1)])
    adult_price = models.DecimalField(_("adult price (CNY)"), **MONEY, validators=[MinValueValidator(0)])
    child_price = models.DecimalField(_("child price (CNY)"), **MONEY, validators=[MinValueValidator(0)])
    capacity = models.PositiveIntegerField(_("default seats per session"), validators=[MinValueValidator(1)])
    min_age = models.PositiveSmallIntegerField(_("minimum age"), default=0, validators=[MaxValueValidator(99)])
    season_mask = models.PositiveSmallIntegerField(
        _("season"),
        default=ALL_MONTHS_MASK,
        validators=[MinValueValidator(1), MaxValueValidator(ALL_MONTHS_MASK)],
        help_text=_("The months in which it runs."),
    )
    max_party_size = models.PositiveSmallIntegerField(
        _("most people per booking"), default=10, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    cancellation_window_hours = models.PositiveIntegerField(
        _("free cancellation until (hours before start)"), default=24, validators=[MaxValueValidator(24 * 60)]
    )
    requires_approval = models.BooleanField(_("bookings need operator approval"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # A copy of the village's position, so that the list order (village, then experience) is one index on this table
    # rather than a sort of every experience joined to its village. save() here and Village.save() keep it.
    village_position = models.PositiveSmallIntegerField(_("position of the village"), default=0, editable=False)
    is_published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    searchable_text = search_text("title", "description")

    objects = ExperienceQuerySet.as_manager()

    class Meta:
        ordering = ["village_position", "position", "slug"]
        verbose_name = _("experience")
        verbose_name_plural = _("experiences")
        indexes = [
            # The published experiences in list order, with their village (for the join that drops unpublished
            # villages' ones) and kind (the API's filter): a page is read from the top, the count from indexes alone.
            models.Index(
                fields=["village_position", "position", "slug", "village", "kind"],
                condition=Q(is_published=True),
                name="experience_listed_order_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(adult_price__gte=0), name="experience_adult_price_not_negative"),
            models.CheckConstraint(condition=Q(child_price__gte=0), name="experience_child_price_not_negative"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="experience_capacity_positive"),
            models.CheckConstraint(condition=Q(duration_minutes__gte=1), name="experience_duration_positive"),
            models.CheckConstraint(condition=Q(min_age__lte=99), name="experience_min_age_plausible"),
            models.CheckConstraint(condition=Q(max_party_size__gte=1), name="experience_party_size_positive"),
            models.CheckConstraint(
                condition=Q(season_mask__gte=1, season_mask__lte=ALL_MONTHS_MASK),
                name="experience_season_has_months",
            ),
            models.CheckConstraint(
                condition=Q(meeting_point_latitude__isnull=True, meeting_point_longitude__isnull=True)
                | Q(meeting_point_latitude__isnull=False, meeting_point_longitude__isnull=False),
                name="experience_meeting_point_coordinates_both_or_neither",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if self.village_id is not None and (update_fields is None or {"village", "village_id"} & set(update_fields)):
            # Read, not taken from self.village: a village loaded earlier may hold a position changed since.
            self.village_position = Village.objects.values_list("position", flat=True).get(pk=self.village_id)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "village_position"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("villages:experience_detail", args=[self.slug])

    @property
    def season_months(self) -> list[int]:
        return months_from_mask(self.season_mask)

    @property
    def runs_all_year(self) -> bool:
        return self.season_mask == ALL_MONTHS_MASK

    def is_in_season(self, moment: datetime) -> bool:
        local = timezone.localtime(moment, timezone.get_default_timezone())
        return local.month in self.season_months

    @property
    def adults_only(self) -> bool:
        return self.min_age >= 18

    def bookings_close_at(self, starts_at):
        """When bookings (and offers and moves) of a session starting at `starts_at` close."""
        return starts_at - timedelta(minutes=self.booking_cutoff_minutes)

    def clean(self):
        if self.venue_id and self.village_id and self.venue.village_id != self.village_id:
            raise ValidationError({"venue": _("The venue must belong to the same village.")})
        if (self.meeting_point_latitude is None) != (self.meeting_point_longitude is None):
            missing = "meeting_point_longitude" if self.meeting_point_longitude is None else "meeting_point_latitude"
            raise ValidationError({missing: _("Give both coordinates of the meeting point, or neither.")})


class ExperienceImage(models.Model):
    experience = models.ForeignKey(Experience, models.CASCADE, related_name="images", verbose_name=_("experience"))
    image = ProcessedImageField(
        _("image"), upload_to="experiences/", width_field="image_width", height_field="image_height"
    )
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    alt_text = models.CharField(_("description for screen readers"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("experience photo")
        verbose_name_plural = _("experience photos")

    def __str__(self):
        return self.alt_text


class SessionQuerySet(models.QuerySet):
    def scheduled(self):
        return self.filter(status=Session.Status.SCHEDULED)

    def upcoming(self, now=None):
        return self.scheduled().filter(starts_at__gt=now or timezone.now()).order_by("starts_at")

    def bookable(self, now=None):
        """Sessions a visitor can book now: scheduled, in the future, of a published experience and village."""
        return self.upcoming(now).filter(experience__is_published=True, experience__village__is_published=True)


class Session(models.Model):
    """A dated slot (场次) of an experience with its own number of seats."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    experience = models.ForeignKey(Experience, models.CASCADE, related_name="sessions", verbose_name=_("experience"))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(_("seats"), validators=[MinValueValidator(1)])
    seats_taken = models.PositiveIntegerField(
        _("seats taken"),
        default=0,
        editable=False,
        help_text=_("Seats held by pending, confirmed and checked-in bookings; kept by the booking services."),
    )
    adult_price_override = models.DecimalField(
        _("adult price for this session (CNY)"), **MONEY, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    child_price_override = models.DecimalField(
        _("child price for this session (CNY)"), **MONEY, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SCHEDULED)
    cancellation_reason = models.TextField(
        _("why it was called off"), max_length=1000, blank=True, help_text=_("Sent to every visitor of the session.")
    )
    cancelled_at = models.DateTimeField(_("called off at"), null=True, blank=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.UniqueConstraint(fields=["experience", "starts_at"], name="session_start_unique_per_experience"),
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="session_capacity_positive"),
            # The safety net under the booking lock: whatever happens, a session is never oversold.
            models.CheckConstraint(condition=Q(seats_taken__lte=models.F("capacity")), name="session_never_oversold"),
            models.CheckConstraint(
                condition=Q(adult_price_override__isnull=True) | Q(adult_price_override__gte=0),
                name="session_adult_price_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(child_price_override__isnull=True) | Q(child_price_override__gte=0),
                name="session_child_price_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "starts_at"], name="session_status_start_idx"),
            # What is bookable, in start order with its experience, read from the index alone: the home page's walk
            # through the next sessions and the experience list's "available from/to" filter.
            models.Index(
                fields=["starts_at", "experience"],
                condition=Q(status="scheduled"),
                name="session_scheduled_start_idx",
            ),
        ]

    def __str__(self):
        local = timezone.localtime(self.starts_at)
        return f"{self.experience} · {local:%Y-%m-%d %H:%M}"

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.seats_taken, 0)

    @property
    def is_sold_out(self) -> bool:
        return self.seats_left == 0

    @property
    def adult_price(self):
        return self.experience.adult_price if self.adult_price_override is None else self.adult_price_override

    @property
    def child_price(self):
        return self.experience.child_price if self.child_price_override is None else self.child_price_override

    @property
    def in_season(self) -> bool:
        return self.experience.is_in_season(self.starts_at)

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("A session must end after it starts.")})
        if self.capacity is not None and self.capacity < self.seats_taken:
            raise ValidationError(
                {
                    "capacity": _("%(taken)s seats are already booked; the capacity cannot be lower.")
                    % {"taken": self.seats_taken}
                }
            )


class VillageMembership(models.Model):
    """An operator account's place in a village's team; what it may touch in the admin follows from this."""

    class Role(models.TextChoices):
        MANAGER = "manager", _("Manager")
        STAFF = "staff", _("Staff")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="village_memberships", verbose_name=_("user")
    )
    village = models.ForeignKey(Village, models.CASCADE, related_name="memberships", verbose_name=_("village"))
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.STAFF)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["village__slug", "user__username"]
        verbose_name = _("village membership")
        verbose_name_plural = _("village memberships")
        constraints = [models.UniqueConstraint(fields=["user", "village"], name="one_membership_per_village")]

    def __str__(self):
        return f"{self.user} · {self.village} ({self.get_role_display()})"


class Route(models.Model):
    """One way from a named place in Shanghai to the village, as legs in order; its totals come from the legs."""

    village = models.ForeignKey(Village, models.CASCADE, related_name="routes", verbose_name=_("village"))
    origin = models.CharField(
        _("starting point"), max_length=80, help_text=_("For example: Shanghai South Railway Station.")
    )
    note = models.CharField(
        _("note"), max_length=200, blank=True, help_text=_("Shown with the route, e.g. that it is an example to check.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("route")
        verbose_name_plural = _("routes")

    def __str__(self):
        return f"{self.origin} → {self.village}"

    @cached_property
    def footprint(self) -> emissions.Footprint:
        """Total time, distance and CO₂ per person of the legs (prefetch `legs` when reading many routes)."""
        return emissions.footprint(self.legs.all())


class RouteLeg(models.Model):
    """One step of a route: by one mode, on one line or road, from one place to the next."""

    class Mode(models.TextChoices):
        METRO = "metro", _("Metro")
        RAIL = "rail", _("Train")
        BUS = "bus", _("Bus")
        WALK = "walk", _("Walk")
        BICYCLE = "bicycle", _("Bicycle")
        TAXI = "taxi", _("Taxi")
        CAR = "car", _("Car")
        FERRY = "ferry", _("Ferry")

    route = models.ForeignKey(Route, models.CASCADE, related_name="legs", verbose_name=_("route"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    mode = models.CharField(_("by"), max_length=10, choices=Mode.choices)
    line = models.CharField(_("line or road"), max_length=80, blank=True, help_text=_("For example: Jinshan Railway."))
    start = models.CharField(_("from"), max_length=80)
    end = models.CharField(_("to"), max_length=80)
    minutes = models.PositiveIntegerField(_("minutes"), validators=[MaxValueValidator(24 * 60)])
    km = models.DecimalField(
        _("kilometres"), max_digits=6, decimal_places=1, validators=[MinValueValidator(0), MaxValueValidator(5000)]
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("leg")
        verbose_name_plural = _("legs")
        constraints = [
            models.CheckConstraint(condition=Q(minutes__gte=0), name="route_leg_minutes_not_negative"),
            models.CheckConstraint(condition=Q(km__gte=0), name="route_leg_km_not_negative"),
        ]

    def __str__(self):
        return f"{self.get_mode_display()}: {self.start} → {self.end}"
