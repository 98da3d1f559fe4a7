"""Public pages and API reads from the shared cache, for anonymous visitors (README "Page cache").

A page is kept under a key made of its address, host, language, Accept header and the versions of what it shows:

- the catalogue: any save or delete of a watched model (villages, experiences, sessions, venues, routes, streams,
  residency programmes: `watch()` in each app's ready()) gives the catalogue a new version, so an edit in the admin
  or a new session shows at once everywhere;
- the seats of one experience: every change of a session's seats_taken calls `seats_changed(experience_id)`, so the
  experience's own page and session list (`exact_seats_of`) are exact. Pages that list many experiences keep their
  seats at most PAGE_CACHE_SECONDS old; a booking is always checked against the database.

A version is bumped when the write commits: a page rendered from the data before the commit is never used after
it. Values each visitor must have their own of (the CSRF token, a form's one-off submission key) are
rendered as markers into the kept page and filled in for each response (`per_visitor_value`). Signed-in users,
requests with credentials and every method but GET and HEAD go straight to the view. Kept pages answer If-None-Match
with 304 (their ETag also covers the visitor's CSRF cookie), unless they carry a one-off key (`conditional=False`).
"""

import functools
import hashlib
import logging
import secrets
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.middleware.csrf import get_token
from django.utils.cache import patch_cache_control
from django.utils.crypto import salted_hmac
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

CATALOGUE_KEY = "page-cache:catalogue"
RENDERING_FOR_CACHE = "_rendering_for_page_cache"
_fills: dict[bytes, Callable[[HttpRequest], str]] = {}


def per_visitor_value(name: str, fill: Callable[[HttpRequest], str]) -> str:
    """The marker a template renders, while a page is rendered for the cache, in place of a value each visitor must
    have their own of; `fill(request)` gives the value when the page is served."""
    # The same in every process that shares the secret key, and not guessable: nobody can make text become a value.
    marker = f"per-visitor-{name}-{salted_hmac('core.page_cache', name).hexdigest()[:16]}"
    _fills[marker.encode()] = fill
    return marker


CSRF_MARKER = per_visitor_value("csrf", get_token)


def rendering_for_cache(request) -> bool:
    return getattr(request, RENDERING_FOR_CACHE, False)


def per_visitor_values(request) -> dict:
    """Context processor: `{% csrf_token %}` renders the CSRF marker in a page rendered for the cache."""
    return {"csrf_token": CSRF_MARKER} if rendering_for_cache(request) else {}


def seats_key(experience_id) -> str:
    return f"page-cache:seats:{experience_id}"


def catalogue_changed(**_signal) -> None:
    _bump(CATALOGUE_KEY)


def seats_changed(experience_id) -> None:
    _bump(seats_key(experience_id))


def _bump(key: str) -> None:
    # After the commit: a page rendered meanwhile, from the data before it, has the old version and is not used again.
    transaction.on_commit(lambda: _set_version(key))


def _set_version(key: str) -> None:
    try:
        cache.set(key, secrets.token_hex(8), None)
    except Exception:  # a cache outage must not fail the write: kept pages age out (PAGE_CACHE_SECONDS)
        logger.warning("The page cache could not record a change of %s", key, exc_info=True)


def watch(*models) -> None:
    """Any save or delete of these models (or of their many-to-many links) is a change of the catalogue."""
    for model in models:
        post_save.connect(catalogue_changed, sender=model, dispatch_uid=f"page-cache-save-{model._meta.label}")
        post_delete.connect(catalogue_changed, sender=model, dispatch_uid=f"page-cache-delete-{model._meta.label}")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                catalogue_changed, sender=field.remote_field.through, dispatch_uid=f"page-cache-m2m-{field}"
            )


def cached_page(view=None, *, exact_seats_of: Callable[..., int | None] | None = None, conditional: bool = True):
    """Serve `view` to anonymous visitors from the shared cache. `exact_seats_of(**view_kwargs)` names the experience
    whose seats the page shows exactly (its id, or None); such pages are kept PAGE_CACHE_EXACT_SECONDS, others
    PAGE_CACHE_SECONDS. `conditional=False` for a page with a one-off key: a browser's copy must not be reused."""
    if view is None:
        return functools.partial(cached_page, exact_seats_of=exact_seats_of, conditional=conditional)

    @functools.wraps(view)
    def cached_view(request, *args, **kwargs):
        if not _may_use_cache(request):
            return view(request, *args, **kwargs)
        try:
            key, timeout = _page_key(request, exact_seats_of, kwargs)
            kept = cache.get(key)
        except Exception:  # no cache: the page as if there were none
            logger.warning("The page cache is unavailable", exc_info=True)
            return view(request, *args, **kwargs)
        if kept is None:
            setattr(request, RENDERING_FOR_CACHE, True)
            try:
                response = view(request, *args, **kwargs)
            finally:
                setattr(request, RENDERING_FOR_CACHE, False)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            if not _may_keep(response):
                return _served(request, response, etag=None, conditional=False)
            kept = {
                "status": response.status_code,
                "content": response.content,
                "headers": list(response.headers.items()),
                "etag": hashlib.sha256(response.content).hexdigest()[:32],
            }
            _quietly(cache.set, key, kept, timeout)
        else:
            response = HttpResponse(kept["content"], status=kept["status"])
            for name, value in kept["headers"]:
                response.headers[name] = value
        return _served(request, response, etag=kept["etag"], conditional=conditional)

    return cached_view


def _may_use_cache(request) -> bool:
    return (
        settings.PAGE_CACHE
        and request.method in ("GET", "HEAD")
        and "HTTP_AUTHORIZATION" not in request.META
        and not request.user.is_authenticated
    )


def _page_key(request, exact_seats_of, view_kwargs) -> tuple[str, int]:
    catalogue = cache.get(CATALOGUE_KEY)
    versions = [catalogue]
    timeout = settings.PAGE_CACHE_SECONDS
    if exact_seats_of is not None and view_kwargs:  # an API list under the same view names no experience
        route = f"{catalogue}:{request.resolver_match.view_name}:{sorted(view_kwargs.items())}"
        experience_id = _remembered(
            "page-cache:seats-of:" + hashlib.sha256(route.encode()).hexdigest(), lambda: exact_seats_of(**view_kwargs)
        )
        if experience_id is not None:
            versions.append(cache.get(seats_key(experience_id)))
            timeout = settings.PAGE_CACHE_EXACT_SECONDS
    address = "\x1f".join(
        [
            request.get_host(),
            request.get_full_path(),
            get_language() or "",
            request.META.get("HTTP_ACCEPT", ""),
            *map(str, versions),
        ]
    )
    return "page-cache:page:" + hashlib.sha256(address.encode()).hexdigest(), timeout


def _remembered(key: str, compute: Callable[[], int | None]) -> int | None:
    """Which experience a page shows, remembered for the catalogue version (a slug can change hands)."""
    found = cache.get(key, default=False)
    if found is False:
        found = compute()
        cache.set(key, found, settings.PAGE_CACHE_EXACT_SECONDS)
    return found


def _may_keep(response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "no-store" not in response.get("Cache-Control", "")
        and getattr(getattr(response, "accepted_renderer", None), "format", "json")
        == "json"  # not the browsable API: it shows the user's forms
    )


def _served(request, response, *, etag: str | None, conditional: bool):
    if response.streaming:
        return response
    content = response.content
    markers = [marker for marker in _fills if marker in content]
    if conditional and etag and _visitor_etag(request, etag, markers) in _if_none_match(request):
        not_modified = HttpResponseNotModified()
        not_modified["ETag"] = _visitor_etag(request, etag, markers)
        _patch_revalidate(not_modified, private=bool(markers))
        return not_modified
    for marker in markers:
        content = content.replace(marker, _fills[marker](request).encode())
    response.content = content
    if conditional and etag:
        visitor_etag = _visitor_etag(request, etag, markers)  # filling may have given the visitor a CSRF cookie
        if visitor_etag:
            response["ETag"] = visitor_etag
        _patch_revalidate(response, private=bool(markers))
    return response


def _visitor_etag(request, etag: str, markers) -> str | None:
    """The kept page's ETag, tied to the visitor's CSRF cookie when the page carries a token: a browser's copy holds
    a token of that cookie's secret and must not be reused once the cookie changed."""
    if not markers:
        return f'"{etag}"'
    secret = request.META.get("CSRF_COOKIE")
    if not secret:
        return None
    return '"' + hashlib.sha256(f"{etag}:{secret}".encode()).hexdigest()[:32] + '"'


def _if_none_match(request) -> set[str]:
    header = request.META.get("HTTP_IF_NONE_MATCH", "")
    return {tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()}


def _patch_revalidate(response, *, private: bool) -> None:
    """Browsers keep the page but ask again each time; a page with a visitor's token is theirs alone."""
    if private:
        patch_cache_control(response, private=True, no_cache=True)
    else:
        patch_cache_control(response, no_cache=True)


def _quietly(action, *args) -> None:
    try:
        action(*args)
    except Exception:
        logger.warning("The page cache could not keep a page", exc_info=True)
