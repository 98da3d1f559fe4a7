"""What search engines and link previews read: each page's title and description, its canonical address and
language versions, Open Graph tags and schema.org data (JSON-LD).

Everything is built here in Python from the objects a view has already loaded (no query of its own), so each piece
can be tested alone; templates/villages/_seo_head.html only prints it. A view passes a PageMeta as `page_meta`;
a page without one (the private booking and application pages, the 500 page) gets a title and a description and
nothing else: no canonical address, no language versions, no preview tags.
"""

import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.core.paginator import Page
from django.core.serializers.json import DjangoJSONEncoder
from django.templatetags.static import static
from django.urls import translate_url
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core.timezones import SHANGHAI
from villages.images import thumbnail_name, thumbnail_widths
from villages.models import Experience, Session, Village

DESCRIPTION_LENGTH = 150
FEW_SEATS = 3  # at most this many seats left: schema.org LimitedAvailability
DEFAULT_IMAGE = ("img/og-default.jpg", 1200, 630)
HREFLANG = {"zh-hans": "zh-Hans", "en": "en"}  # BCP 47 as search engines document it
OG_LOCALES = {"zh-hans": "zh_CN", "en": "en_US"}
SCHEMA = "https://schema.org/"

SENTENCE_ENDS = "。！？!?."
CLAUSE_BREAKS = "，、；：,;: "


@dataclass(frozen=True)
class PageImage:
    url: str  # absolute
    width: int | None
    height: int | None
    alt: str


@dataclass(frozen=True)
class PageMeta:
    """What one page tells search engines and link previews.

    `title` is without the site's name (<title> adds it, og:site_name carries it). `path` is the page's own address
    (the request's when empty): a refused booking or application form is answered from another address, the page
    is still the experience's or the programme's. `robots` is empty for a page to index; otherwise no canonical
    address or language versions are given. `canonical_query` is kept on the canonical address (a later page of a
    list). `share` off: no Open Graph tags (the 404 page).
    """

    title: str
    description: str
    path: str = ""
    image: PageImage | None = None
    robots: str = ""
    canonical_query: str = ""
    share: bool = True
    structured_data: dict | None = None


# --- Text and addresses


def summarise(text: str, limit: int = DESCRIPTION_LENGTH) -> str:
    """One line of at most `limit` characters for a description.

    A longer text ends after its last whole sentence if that keeps at least half of it; otherwise at the last space
    or comma, colon, semicolon (Chinese or not) in the last 40 %, with "…"; otherwise between two characters, which
    in Chinese, written without spaces, is where a line may break anyway.
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    room = text[: limit - 1]  # one character is kept for the ellipsis
    for index in range(len(room) - 1, limit // 2 - 1, -1):
        character = room[index]
        if character in "。！？" or (character in SENTENCE_ENDS and text[index + 1] == " "):
            return room[: index + 1]
    for index in range(len(room) - 1, int(limit * 0.6) - 1, -1):
        if room[index] in CLAUSE_BREAKS:
            return room[:index].rstrip(CLAUSE_BREAKS) + "…"
    return room.rstrip() + "…"


def absolute(url: str) -> str:
    """An address on SITE_URL (the public address emails use too); one that already names its host stays as it is."""
    if url.startswith(("http://", "https://", "//")):
        return url
    return settings.SITE_URL + url


def local_iso(moment: datetime) -> str:
    """ISO 8601 in Shanghai time with its offset: 2026-06-01T19:30:00+08:00."""
    return moment.astimezone(SHANGHAI).isoformat(timespec="seconds")


def money(amount: Decimal) -> str:
    return f"{amount:.2f}"


# --- Images


def page_image(field_file, width: int | None, height: int | None, alt: str) -> PageImage | None:
    """The largest stored thumbnail of an image (its original when it is too small to have one), absolute."""
    if not field_file:
        return None
    widths = thumbnail_widths(width) if width else []
    if not widths:
        return PageImage(absolute(field_file.url), width, height, alt)
    thumbnail_width = max(widths)
    thumbnail_height = round(height * thumbnail_width / width) if height else None
    url = field_file.storage.url(thumbnail_name(field_file.name, thumbnail_width))
    return PageImage(absolute(url), thumbnail_width, thumbnail_height, alt)


def default_image() -> PageImage:
    path, width, height = DEFAULT_IMAGE
    return PageImage(absolute(static(path)), width, height, _("Village Trails"))


def village_image(village: Village, *, gallery: bool = True) -> PageImage | None:
    """The cover, else (when the gallery is prefetched) the first gallery photo."""
    image = page_image(
        village.cover_image, village.cover_image_width, village.cover_image_height, village.cover_image_alt
    )
    if image is None and gallery:
        photo = next(iter(village.images.all()), None)
        if photo is not None:
            image = page_image(photo.image, photo.image_width, photo.image_height, photo.alt_text)
    return image


def experience_image(experience: Experience) -> PageImage | None:
    """The experience's first photo (prefetched), else its village's cover."""
    photo = next(iter(experience.images.all()), None)
    if photo is not None:
        return page_image(photo.image, photo.image_width, photo.image_height, photo.alt_text)
    return village_image(experience.village, gallery=False)


# --- schema.org


def postal_address(village: Village) -> dict:
    town = village.town
    return {
        "@type": "PostalAddress",
        "addressCountry": "CN",
        "addressRegion": _("Shanghai"),
        # Translators: a town and its district in an address; Chinese writes the district first, without a comma.
        "addressLocality": _("%(town)s, %(district)s") % {"town": town.name, "district": town.district.name},
    }


def geo(village: Village) -> dict | None:
    if village.latitude is None or village.longitude is None:
        return None
    return {"@type": "GeoCoordinates", "latitude": float(village.latitude), "longitude": float(village.longitude)}


def _without_empty(data: dict) -> dict:
    return {key: value for key, value in data.items() if value not in (None, "", [])}


def village_structured_data(village: Village) -> dict:
    """A TouristAttraction. Whether a visit is free is not something we know, so isAccessibleForFree is left out."""
    images = [village.cover_image] if village.cover_image else []
    images += [photo.image for photo in village.images.all()]
    return _without_empty(
        {
            "@context": "https://schema.org",
            "@type": "TouristAttraction",
            "name": village.name,
            "description": village.summary,
            "url": absolute(village.get_absolute_url()),
            "image": [absolute(image.url) for image in images],
            "address": postal_address(village),
            "geo": geo(village),
        }
    )


def availability(session: Session) -> str:
    if session.seats_left == 0:
        return SCHEMA + "SoldOut"
    if session.seats_left <= FEW_SEATS:
        return SCHEMA + "LimitedAvailability"
    return SCHEMA + "InStock"


def session_event(session: Session, experience: Experience, image: PageImage | None = None) -> dict:
    """One session as an Event. A cancelled one stays listed with EventCancelled (so search engines update what they
    show) and without an offer, since nothing can be bought. Prices are the adult price of the session."""
    village = experience.village
    url = absolute(experience.get_absolute_url())
    cancelled = session.status == Session.Status.CANCELLED
    price = experience.adult_price if session.adult_price_override is None else session.adult_price_override
    operator = village.operator
    event = {
        "@type": "Event",
        "name": experience.title,
        "description": summarise(experience.description, 300),
        "startDate": local_iso(session.starts_at),
        "endDate": local_iso(session.ends_at),
        "eventStatus": SCHEMA + ("EventCancelled" if cancelled else "EventScheduled"),
        "eventAttendanceMode": SCHEMA + "OfflineEventAttendanceMode",
        "location": _without_empty(
            {"@type": "Place", "name": village.name, "address": postal_address(village), "geo": geo(village)}
        ),
        "url": url,
        "image": [image.url] if image else None,
        "offers": None
        if cancelled
        else {
            "@type": "Offer",
            "price": money(price),
            "priceCurrency": "CNY",
            "availability": availability(session),
            "url": url,
        },
        "organizer": _without_empty({"@type": "Organization", "name": operator.name, "url": operator.website})
        if operator
        else None,
    }
    return _without_empty(event)


def experience_structured_data(experience: Experience, sessions, image: PageImage | None = None) -> dict | None:
    """The experience's coming sessions as Events, or None when there are none."""
    events = [session_event(session, experience, image) for session in sessions]
    if not events:
        return None
    return {"@context": "https://schema.org", "@graph": events}


JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld_script(data: dict) -> SafeString:
    """<script type="application/ld+json">: serialised by json.dumps, with <, > and & escaped as JSON \\u escapes
    (as Django's json_script does), so no text in the data can close the script element."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


# --- Each page's PageMeta


def home_meta() -> PageMeta:
    return PageMeta(
        title=_("Shanghai's internet-famous villages"),
        description=_(
            "Discover Shanghai's internet-famous villages and book what they offer: firefly evenings, cycling, "
            "kayaking, homestays and digital-nomad stays."
        ),
    )


def village_list_meta(page: Page, *, filtered: bool) -> PageMeta:
    """The list of villages. Search and filter results are `noindex, follow` rather than canonical to the plain list.

    A canonical address says "this page is a copy of that one"; a filtered list is not a copy (it shows other
    villages), so search engines would rightly ignore the hint, and every combination of q, district, tag and kind
    would be crawled as a thin near-duplicate. `noindex` keeps them out of results; `follow` still lets crawlers reach
    the villages they link to. A form sent empty (?q=) shows the plain list and is canonical to it; a later page of
    the plain list is canonical to itself (?page=2), as it lists other villages than the first.
    """
    title = _("Villages")
    if page.number > 1:
        title += " · " + _("Page %(number)s of %(total)s") % {"number": page.number, "total": page.paginator.num_pages}
    return PageMeta(
        title=title,
        description=_(
            "Shanghai's internet-famous villages by district, honour and experience: find a village, see what it "
            "offers and book a session."
        ),
        robots="noindex, follow" if filtered else "",
        canonical_query=f"page={page.number}" if page.number > 1 and not filtered else "",
    )


def village_meta(village: Village) -> PageMeta:
    """Needs the village as selectors.village_detail loads it (town, district, gallery)."""
    return PageMeta(
        title=f"{village.name} · {village.town.district.name}",
        description=summarise(village.summary),
        path=village.get_absolute_url(),
        image=village_image(village),
        structured_data=village_structured_data(village),
    )


def experience_meta(experience: Experience, sessions) -> PageMeta:
    """Needs the experience with its village (town, district, operator) and photos; `sessions` are those to list as
    Events (cancelled ones included)."""
    image = experience_image(experience)
    return PageMeta(
        title=f"{experience.title} · {experience.village.name}",
        description=summarise(experience.description),
        path=experience.get_absolute_url(),
        image=image,
        structured_data=experience_structured_data(experience, sessions, image),
    )


def not_found_meta() -> PageMeta:
    return PageMeta(
        title=_("Page not found"),
        description=_("We could not find that page. It may have moved, or the village has not published it."),
        robots="noindex",
        share=False,
    )


# --- The <head>


def language_versions(path: str, query: str = "") -> list[dict]:
    """The page in each language, and x-default: the address without a language, which LocaleMiddleware sends to
    the reader's language (as django.contrib.sitemaps writes it)."""
    suffix = f"?{query}" if query else ""
    versions = [
        {"hreflang": HREFLANG.get(code, code), "url": absolute(translate_url(path, code)) + suffix}
        for code, _name in settings.LANGUAGES
    ]
    default_path = translate_url(path, settings.LANGUAGE_CODE).replace(f"/{settings.LANGUAGE_CODE}/", "/", 1)
    versions.append({"hreflang": "x-default", "url": absolute(default_path) + suffix})
    return versions


def head_tags(request, meta: PageMeta) -> dict:
    """What templates/villages/_seo_head.html prints for `meta` on this request."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    canonical = ""
    versions = []
    if not meta.robots:
        path = meta.path or request.path
        canonical = absolute(path) + (f"?{meta.canonical_query}" if meta.canonical_query else "")
        versions = language_versions(path, meta.canonical_query)
    image = meta.image or default_image()
    return {
        "meta": meta,
        "canonical": canonical,
        "language_versions": versions,
        "url": canonical or absolute(request.get_full_path()),
        "locale": OG_LOCALES.get(language, language),
        "alternate_locales": [locale for code, locale in OG_LOCALES.items() if code != language],
        "image": image,
        "twitter_card": "summary_large_image" if meta.image else "summary",
        "json_ld": json_ld_script(meta.structured_data) if meta.structured_data else "",
    }
