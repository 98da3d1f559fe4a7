"""Factories for the directory. Defaults give a published, bookable, in-season thing."""

import io
import itertools
from datetime import timedelta
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from residency import services as residency_services
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
)
from villages.months import ALL_MONTHS_MASK


def image_bytes(image_format="JPEG", size=(800, 600), color=(40, 120, 80), exif=None) -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGB", size, color)
    options = {"exif": exif} if exif is not None else {}
    image.save(buffer, format=image_format, **options)
    return buffer.getvalue()


def uploaded_image(name="photo.jpg", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes(**kwargs), content_type="image/jpeg")


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"district-{n}")
    name_zh_hans = factory.Sequence(lambda n: f"测试区{n}")
    name_en = factory.Sequence(lambda n: f"Test District {n}")


class TownFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Town

    district = factory.SubFactory(DistrictFactory)
    slug = factory.Sequence(lambda n: f"town-{n}")
    name_zh_hans = factory.Sequence(lambda n: f"测试镇{n}")
    name_en = factory.Sequence(lambda n: f"Test Town {n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    slug = factory.Sequence(lambda n: f"org-{n}")
    name_zh_hans = factory.Sequence(lambda n: f"乡村运营公司{n}")
    name_en = factory.Sequence(lambda n: f"Rural Operator {n}")


class HonourFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Honour
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"honour-{n}")
    title_zh_hans = factory.Sequence(lambda n: f"示范村{n}")
    title_en = factory.Sequence(lambda n: f"Model Village {n}")


class VillageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Village

    slug = factory.Sequence(lambda n: f"village-{n}")
    name_zh_hans = factory.Sequence(lambda n: f"测试村{n}")
    name_en = factory.Sequence(lambda n: f"Test Village {n}")
    town = factory.SubFactory(TownFactory)
    summary_zh_hans = "湖畔的安静村庄。"
    summary_en = "A quiet lakeside village."
    description_zh_hans = "村里有咖啡、民宿和公共空间。"
    description_en = "The village has cafés, homestays and public spaces."
    latitude = Decimal("31.000000")
    longitude = Decimal("121.000000")
    is_published = True


class VillageImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VillageImage

    village = factory.SubFactory(VillageFactory)
    image = factory.LazyFunction(uploaded_image)
    alt_text_zh_hans = factory.Sequence(lambda n: f"村口的老樟树{n}")
    alt_text_en = factory.Sequence(lambda n: f"The old camphor tree at the village gate {n}")
    position = factory.Sequence(lambda n: n)


class VillageHonourFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VillageHonour

    village = factory.SubFactory(VillageFactory)
    honour = factory.SubFactory(HonourFactory)
    year = 2021


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    village = factory.SubFactory(VillageFactory)
    slug = factory.Sequence(lambda n: f"venue-{n}")
    kind = Venue.Kind.GARDEN
    name_zh_hans = factory.Sequence(lambda n: f"花园{n}")
    name_en = factory.Sequence(lambda n: f"Garden {n}")


class ExperienceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Experience

    village = factory.SubFactory(VillageFactory)
    slug = factory.Sequence(lambda n: f"experience-{n}")
    kind = Experience.Kind.CYCLING
    title_zh_hans = factory.Sequence(lambda n: f"骑行{n}")
    title_en = factory.Sequence(lambda n: f"Cycling {n}")
    description_zh_hans = "沿湖骑行。"
    description_en = "A ride along the lake."
    duration_minutes = 90
    adult_price = Decimal("88.00")
    child_price = Decimal("48.00")
    capacity = 10
    season_mask = ALL_MONTHS_MASK
    is_published = True


class ExperienceImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExperienceImage

    experience = factory.SubFactory(ExperienceFactory)
    image = factory.LazyFunction(uploaded_image)
    alt_text_zh_hans = factory.Sequence(lambda n: f"湖边骑行{n}")
    alt_text_en = factory.Sequence(lambda n: f"Riding by the lake {n}")
    position = factory.Sequence(lambda n: n)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    experience = factory.SubFactory(ExperienceFactory)
    starts_at = factory.Sequence(lambda n: timezone.now().replace(microsecond=0) + timedelta(days=2, hours=n))
    ends_at = factory.LazyAttribute(lambda session: session.starts_at + timedelta(minutes=90))
    capacity = factory.LazyAttribute(lambda session: session.experience.capacity)


_contact_numbers = itertools.count(1)


def new_contact(language: str = "zh-hans") -> dict:
    """Contact details of a visitor nobody has used yet: the caps per person never meet two tests' bookings."""
    number = next(_contact_numbers)
    return {"email": f"visitor{number}@example.com", "phone": f"1390013{number:04d}", "language": language}


def make_booking(session, adults: int = 2, children: int = 0, **details):
    """A booking made through the service, as a visitor makes it; by someone nobody used yet unless `details` say
    who (name, email, phone, language)."""
    from bookings import services

    booking, _created = services.create_booking(
        session_id=session.pk, adults=adults, children=children, **{"name": "王小明", **new_contact(), **details}
    )
    return booking


# The operators' group's permissions as the migrations left them (app label, codename): conftest records them once
# the test database exists, so that a test after a transactional test's flush gets the same group back.
OPERATOR_PERMISSIONS: list[tuple[str, str]] = []


def operators_group():
    from django.contrib.auth.models import Group, Permission
    from django.db.models import Q

    from villages.scoping import OPERATORS_GROUP

    group, created = Group.objects.get_or_create(name=OPERATORS_GROUP)
    if created:
        wanted = Q(pk__in=[])
        for app_label, codename in OPERATOR_PERMISSIONS:
            wanted |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.set(Permission.objects.filter(wanted))
    return group


def make_operator(username: str, *villages, role="manager"):
    """A staff account in the operators group with a membership of each village (as create_operator makes)."""
    from django.contrib.auth import get_user_model

    from villages.models import VillageMembership

    user = get_user_model().objects.create_user(username, password="a-long-password-123", is_staff=True)
    user.groups.add(operators_group())
    for village in villages:
        VillageMembership.objects.create(user=user, village=village, role=role)
    return user


class ResidencyProgramFactory(factory.django.DjangoModelFactory):
    """A published programme whose application window is open now; the cohort starts in about three months."""

    class Meta:
        model = "residency.ResidencyProgram"

    village = factory.SubFactory(VillageFactory)
    slug = factory.Sequence(lambda n: f"residency-{n}")
    name_zh_hans = factory.Sequence(lambda n: f"数字游民驻村计划{n}")
    name_en = factory.Sequence(lambda n: f"Digital nomad residency {n}")
    description_zh_hans = "在村里工作和生活。"
    description_en = "Work and live in the village."
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=90))
    ends_on = factory.LazyAttribute(lambda program: program.starts_on + timedelta(days=180))
    places = 12
    monthly_fee = Decimal("3000.00")
    accommodation_zh_hans = "单人间"
    accommodation_en = "A single room"
    coworking_desk = True
    internet_mbps = 300
    meals_zh_hans = "午餐"
    meals_en = "Lunch"
    working_languages_zh_hans = "中文、English"
    working_languages_en = "Chinese, English"
    applications_open_at = factory.LazyFunction(lambda: timezone.now().replace(microsecond=0) - timedelta(days=7))
    applications_close_at = factory.LazyFunction(lambda: timezone.now().replace(microsecond=0) + timedelta(days=60))
    is_published = True


def pdf_bytes(pages: int = 1) -> bytes:
    """A real PDF (blank A4 pages), made with pypdf."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _page in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def uploaded_pdf(name="cv.pdf", content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes() if content is None else content, content_type="application/pdf")


PROPOSAL = (
    "我是一名用户体验设计师，希望在水库村驻留期间为村里的民宿和咖啡馆设计双语导览，"
    "并每周为村民开设一次免费的手机摄影课，帮助大家把乡村生活分享给更多的人。"
    "I would also run a weekly open studio for villagers."
)


def application_fields(program, **overrides) -> dict:
    """What a nomad sends to residency_services.apply_for_residency: valid for `program`, arriving on its first day."""
    fields = {
        "program": program.slug,
        "name": "Alex Morgan",
        "email": "alex@example.com",
        "nationality": "GB",
        "profession": "UX designer",
        "skills": "Bilingual signage, photography, workshops",
        "portfolio_url": "https://alex.example.com",
        "cv": uploaded_pdf(),
        "arrival_date": program.starts_on,
        "stay_months": 3,
        "proposal": PROPOSAL,
        "consent": True,
        "language": "en",
    }
    fields.update(overrides)
    return fields


def make_application(program, **overrides):
    """An application submitted through the service, as a nomad would make it."""

    return residency_services.apply_for_residency(**application_fields(program, **overrides))


class LiveStreamFactory(factory.django.DjangoModelFactory):
    """A published stream of a published village, starting in a day, with a room ID to watch it by."""

    class Meta:
        model = "live.LiveStream"
        skip_postgeneration_save = True

    village = factory.SubFactory(VillageFactory)
    title_zh_hans = factory.Sequence(lambda n: f"萤火虫之夜直播{n}")
    title_en = factory.Sequence(lambda n: f"Firefly evening live {n}")
    platform = "channels"
    starts_at = factory.LazyFunction(lambda: timezone.now().replace(microsecond=0) + timedelta(days=1))
    ends_at = factory.LazyAttribute(lambda stream: stream.starts_at + timedelta(hours=1))
    room_id = factory.Sequence(lambda n: f"room-{n}")
    is_published = True

    @factory.post_generation
    def sessions(self, create, sessions, **kwargs):
        if create and sessions:
            self.sessions.set(sessions)


class RouteFactory(factory.django.DjangoModelFactory):
    """A route from a Shanghai station to a village; give it legs with RouteLegFactory."""

    class Meta:
        model = "villages.Route"

    village = factory.SubFactory(VillageFactory)
    origin_zh_hans = "上海南站"
    origin_en = "Shanghai South Railway Station"
    note_zh_hans = "示例路线，出行前请核实"
    note_en = "Demo route — check before you travel"
    position = factory.Sequence(lambda n: n)


class RouteLegFactory(factory.django.DjangoModelFactory):
    """A train leg of 40 minutes and 50 km unless told otherwise."""

    class Meta:
        model = "villages.RouteLeg"

    route = factory.SubFactory(RouteFactory)
    position = factory.Sequence(lambda n: n)
    mode = "rail"
    line_zh_hans = "金山铁路"
    line_en = "Jinshan Railway"
    start_zh_hans = "上海南站"
    start_en = "Shanghai South Railway Station"
    end_zh_hans = "金山卫站"
    end_en = "Jinshanwei Station"
    minutes = 40
    km = Decimal("50.0")
