"""The shape of a page's form and the view it posts to, shared by the booking and the application forms."""

from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods
from rest_framework import status

from core.ratelimits import Limited


def form_target(find, submit):
    """The view a page's form posts to, at an address of its own: `find(slug)` is the page's object (or a 404), and
    `submit(request, obj)` handles the POST. Anything else (a reload, the language switcher) goes back to the page."""

    @require_http_methods(["GET", "HEAD", "POST"])
    def view(request, slug):
        found = find(slug)
        if request.method != "POST":
            return redirect(found)
        return submit(request, found)

    return view


def form_again(build_form, render_page):
    """A `refused` for rate_limited on a form's view: the page again, with what was typed and the limit's message.
    `build_form(request, *args)` binds the submitted form; `render_page(request, form, *args, status=…)` shows it."""

    def refused(request, limited: Limited, *args, **kwargs):
        form = build_form(request, *args, **kwargs)
        form.is_valid()
        form.add_error(None, limited.message)
        return render_page(request, form, *args, status=status.HTTP_429_TOO_MANY_REQUESTS, **kwargs)

    return refused
