"""Live streams from the villages: a calendar of broadcasts on the platforms where villages sell (抖音, 视频号, …),
each featuring sessions a viewer can book."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A stream that ended less than this long ago is "recent": its replay is still listed, and it stays in the feeds.
RECENT_DAYS = 30


class LiveStreamQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True, village__is_published=True)

    def coming_up_or_live(self, now=None):
        """Not ended yet and not called off; live ones first, then by start."""
        now = now or timezone.now()
        return self.filter(status__in=LiveStream.NOT_OVER, ends_at__gt=now)

    def recent(self, now=None):
        """Over (ended, or past its end) within RECENT_DAYS, newest first."""
        now = now or timezone.now()
        return (
            self.exclude(status=LiveStream.Status.CANCELLED)
            .filter(ends_at__lte=now, ends_at__gt=now - timedelta(days=RECENT_DAYS))
            .filter(Q(status=LiveStream.Status.ENDED) | Q(status__in=LiveStream.NOT_OVER))
        )

    def in_feeds(self, now=None):
        """What a calendar subscription lists: coming up, live, recent, and coming ones that were called off (so a
        calendar that had them shows them cancelled)."""
        now = now or timezone.now()
        return self.filter(ends_at__gt=now - timedelta(days=RECENT_DAYS))


class LiveStream(models.Model):
    class Platform(models.TextChoices):
        DOUYIN = "douyin", _("Douyin (抖音)")
        CHANNELS = "channels", _("WeChat Channels (视频号)")
        TAOBAO = "taobao", _("Taobao Live (淘宝直播)")
        KUAISHOU = "kuaishou", _("Kuaishou (快手)")
        XIAOHONGSHU = "xiaohongshu", _("Xiaohongshu (小红书)")
        BILIBILI = "bilibili", _("bilibili")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        LIVE = "live", _("Live now")
        ENDED = "ended", _("Ended")
        CANCELLED = "cancelled", _("Cancelled")

    NOT_OVER = (Status.SCHEDULED, Status.LIVE)

    village = models.ForeignKey(
        "villages.Village", models.CASCADE, related_name="live_streams", verbose_name=_("village")
    )
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    platform = models.CharField(_("platform"), max_length=20, choices=Platform.choices)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    watch_url = models.URLField(
        _("link to the live room"), max_length=500, blank=True, help_text=_("Where viewers watch the stream.")
    )
    room_id = models.CharField(
        _("live room ID"),
        max_length=60,
        blank=True,
        help_text=_("For platforms whose rooms are found by an ID rather than a link (e.g. a Douyin ID)."),
    )
    host = models.CharField(_("host"), max_length=80, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    replay_url = models.URLField(
        _("replay link"), max_length=500, blank=True, help_text=_("Once the stream has ended: where to watch it again.")
    )
    sessions = models.ManyToManyField(
        "villages.Session",
        related_name="live_streams",
        blank=True,
        verbose_name=_("featured sessions"),
        help_text=_("Sessions of this village that the stream presents; viewers can book them from its page."),
    )
    is_published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LiveStreamQuerySet.as_manager()

    class Meta:
        verbose_name = _("live stream")
        verbose_name_plural = _("live streams")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["village", "starts_at"]), models.Index(fields=["ends_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="live_stream_ends_after_start"),
            models.CheckConstraint(
                condition=~Q(watch_url="") | ~Q(room_id=""), name="live_stream_has_a_link_or_a_room_id"
            ),
            models.CheckConstraint(
                condition=Q(replay_url="") | Q(status="ended"), name="live_stream_replay_only_once_ended"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("live:stream_detail", args=[self.pk])

    @property
    def source(self) -> str:
        """What a booking made from this stream's page records as its `source`."""
        return f"live:{self.pk}"

    def is_live(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == self.Status.LIVE and self.ends_at > now

    def clean(self):
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The stream must end after it starts.")
        if not self.watch_url and not self.room_id:
            errors["watch_url"] = _("Give the link to the live room, its ID, or both.")
        if self.replay_url and self.status != self.Status.ENDED:
            errors["replay_url"] = _("A replay link can be added once the stream has ended.")
        if errors:
            raise ValidationError(errors)
