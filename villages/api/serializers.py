"""Read-only shapes of the public API. Content fields follow the request's language (Accept-Language).

Every decimal (prices in CNY, coordinates) is a string, so no client ever sees a float.
Every URL is absolute: `url` is the API resource, `web_url` the page of the site in the request's language.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api import ReadOnlyModelSerializer
from villages.images import srcset
from villages.models import (
    District,
    Experience,
    ExperienceImage,
    Organisation,
    Route,
    RouteLeg,
    Session,
    Town,
    Venue,
    Village,
    VillageHonour,
    VillageImage,
)

MONEY = {"max_digits": 10, "decimal_places": 2, "read_only": True}
ONE_DECIMAL = {"max_digits": 8, "decimal_places": 1, "read_only": True}


def _absolute(request, url: str) -> str:
    return request.build_absolute_uri(url) if request is not None else url


def absolute_srcset(request, field_file, width: int | None) -> str:
    """villages.images.srcset with every candidate made absolute, like the `url` beside it."""
    candidates = srcset(field_file, width)
    if not candidates:
        return ""
    absolute = []
    for candidate in candidates.split(", "):
        url, descriptor = candidate.rsplit(" ", 1)
        absolute.append(f"{_absolute(request, url)} {descriptor}")
    return ", ".join(absolute)


class WebUrlField(serializers.URLField):
    """The absolute address of the object's page on the site (get_absolute_url)."""

    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, instance):
        return _absolute(self.context.get("request"), instance.get_absolute_url())


class DistrictSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = District
        fields = ["slug", "name"]


class TownSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = Town
        fields = ["slug", "name"]


class OperatorSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = Organisation
        fields = ["slug", "name"]


class HonourSerializer(ReadOnlyModelSerializer):
    """A title the village holds (the `tag` filter takes its slug), with the year it was given."""

    slug = serializers.SlugField(source="honour.slug", read_only=True)
    title = serializers.CharField(source="honour.title", read_only=True)

    class Meta:
        model = VillageHonour
        fields = ["slug", "title", "year", "note"]


class CoverImageSerializer(serializers.Serializer):
    url = serializers.ImageField(source="cover_image", read_only=True)
    width = serializers.IntegerField(source="cover_image_width", read_only=True, allow_null=True)
    height = serializers.IntegerField(source="cover_image_height", read_only=True, allow_null=True)
    srcset = serializers.SerializerMethodField()
    alt = serializers.CharField(source="cover_image_alt", read_only=True)

    def to_representation(self, village):
        if not village.cover_image:
            return None
        return super().to_representation(village)

    def get_srcset(self, village) -> str:
        return absolute_srcset(self.context.get("request"), village.cover_image, village.cover_image_width)


class ImageSerializer(ReadOnlyModelSerializer):
    url = serializers.ImageField(source="image", read_only=True)
    width = serializers.IntegerField(source="image_width", read_only=True, allow_null=True)
    height = serializers.IntegerField(source="image_height", read_only=True, allow_null=True)
    srcset = serializers.SerializerMethodField()
    alt = serializers.CharField(source="alt_text", read_only=True)

    class Meta:
        model = ExperienceImage
        fields = ["url", "width", "height", "srcset", "alt"]

    def get_srcset(self, image) -> str:
        return absolute_srcset(self.context.get("request"), image.image, image.image_width)


class VillageImageSerializer(ImageSerializer):
    class Meta:
        model = VillageImage
        fields = [*ImageSerializer.Meta.fields, "caption"]


class VenueSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = Venue
        fields = ["slug", "kind", "name", "description"]


class ExperienceSerializer(ReadOnlyModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:experience-detail", lookup_field="slug")
    web_url = WebUrlField()
    village = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    venue = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    adult_price = serializers.DecimalField(**MONEY)
    child_price = serializers.DecimalField(**MONEY)
    season_months = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=12),
        read_only=True,
        help_text=_("The months (1 = January) in which the experience runs."),
    )
    images = ImageSerializer(many=True, read_only=True)

    class Meta:
        model = Experience
        fields = [
            "slug",
            "url",
            "web_url",
            "village",
            "venue",
            "kind",
            "title",
            "description",
            *Experience.BEFORE_YOU_GO,
            *Experience.BOOKING_TERMS,
            "season_months",
            "images",
        ]


class RouteLegSerializer(ReadOnlyModelSerializer):
    """One step of a route: how (`mode`), on which line or road, from where to where, minutes and kilometres."""

    km = serializers.DecimalField(**ONE_DECIMAL)

    class Meta:
        model = RouteLeg
        fields = ["mode", "line", "minutes", "km"]

    def get_fields(self):
        # `from` and `to` are Python keywords: they cannot be declared in the class body, so they are added here.
        fields = super().get_fields()
        places = {
            "from": serializers.CharField(source="start", read_only=True, help_text=_("Where the step starts.")),
            "to": serializers.CharField(source="end", read_only=True, help_text=_("Where the step ends.")),
        }
        return {
            "mode": fields["mode"],
            "line": fields["line"],
            **places,
            "minutes": fields["minutes"],
            "km": fields["km"],
        }


class RouteSerializer(ReadOnlyModelSerializer):
    """A way from a place in Shanghai to the village, legs in order, with its total time and distance and its CO₂ per
    person (UK Government conversion factors 2020, per passenger-km) against driving the same distance alone. `note`
    says, for instance, that the route is an example to check before travelling."""

    minutes = serializers.IntegerField(source="footprint.minutes", read_only=True, help_text=_("Total minutes."))
    km = serializers.DecimalField(source="footprint.km", **ONE_DECIMAL, help_text=_("Total kilometres."))
    co2_kg = serializers.DecimalField(
        source="footprint.co2_kg", **ONE_DECIMAL, help_text=_("CO₂ per person in kg, from each leg's distance.")
    )
    car_co2_kg = serializers.DecimalField(
        source="footprint.car_co2_kg",
        **ONE_DECIMAL,
        help_text=_("CO₂ in kg of driving the same distance alone, for comparison."),
    )
    legs = RouteLegSerializer(many=True, read_only=True)

    class Meta:
        model = Route
        fields = ["origin", "note", "minutes", "km", "co2_kg", "car_co2_kg", "legs"]


class VillageSerializer(ReadOnlyModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:village-detail", lookup_field="slug")
    web_url = WebUrlField()
    district = DistrictSerializer(source="town.district", read_only=True)
    town = TownSerializer(read_only=True)
    honours = HonourSerializer(source="village_honours", many=True, read_only=True)
    operator = OperatorSerializer(read_only=True, allow_null=True)
    cover_image = CoverImageSerializer(source="*", read_only=True, allow_null=True)
    routes = RouteSerializer(source="shown_routes", many=True, read_only=True)

    class Meta:
        model = Village
        fields = [
            "slug",
            "url",
            "web_url",
            "name",
            "tagline",
            "summary",
            "district",
            "town",
            "honours",
            "operator",
            "latitude",
            "longitude",
            "cover_image",
            "routes",
        ]


class VillageDetailSerializer(VillageSerializer):
    images = VillageImageSerializer(many=True, read_only=True)
    venues = VenueSerializer(many=True, read_only=True)
    experiences = ExperienceSerializer(source="published_experiences", many=True, read_only=True)

    class Meta(VillageSerializer.Meta):
        fields = [
            *VillageSerializer.Meta.fields,
            "description",
            "getting_there",
            "operating_model",
            "operated_since",
            "images",
            "venues",
            "experiences",
        ]


class SessionSerializer(ReadOnlyModelSerializer):
    """A dated session; prices are the session's own when it overrides the experience's."""

    seats_left = serializers.IntegerField(read_only=True)
    adult_price = serializers.DecimalField(**MONEY)
    child_price = serializers.DecimalField(**MONEY)

    class Meta:
        model = Session
        fields = ["id", "starts_at", "ends_at", "capacity", "seats_left", "adult_price", "child_price", "status"]


class VillageNameSerializer(ReadOnlyModelSerializer):
    """Which village, in short: for the shapes of other apps (a booking's, an application's programme)."""

    class Meta:
        model = Village
        fields = ["slug", "name"]
