"""Shapes of the live-stream API: datetimes ISO 8601 in Shanghai time (+08:00), texts in the request's language."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api import NamedEnumField, ReadOnlyModelSerializer
from live.models import LiveStream
from villages.seo import absolute


class StreamStatusField(NamedEnumField):
    enum_name = "LiveStreamStatusEnum"
    choices = LiveStream.Status


class StreamPlatformField(NamedEnumField):
    enum_name = "LiveStreamPlatformEnum"
    choices = LiveStream.Platform


class LiveStreamSerializer(ReadOnlyModelSerializer):
    village = serializers.SlugRelatedField(slug_field="slug", read_only=True, help_text=_("Slug of the village."))
    platform = StreamPlatformField(read_only=True)
    status = StreamStatusField(read_only=True)
    sessions = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text=_("Ids of the sessions the stream presents (book them with their id).")
    )
    page_url = serializers.SerializerMethodField(help_text=_("The stream's page on the site."))

    class Meta:
        model = LiveStream
        fields = [
            "id",
            "village",
            "title",
            "description",
            "platform",
            "host",
            "starts_at",
            "ends_at",
            "status",
            "watch_url",
            "room_id",
            "replay_url",
            "sessions",
            "page_url",
        ]

    def get_page_url(self, stream) -> str:
        return absolute(stream.get_absolute_url())
