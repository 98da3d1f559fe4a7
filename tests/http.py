"""A small HTTP client for tests against a real server (pytest-django's live_server, gunicorn): cookies, CSRF, and
the forms of the pages it reads."""

import http.cookiejar
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from tests.html import FormFields


@dataclass
class Answer:
    status: int
    text: str
    headers: dict


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One visitor: keeps its cookies, sends the CSRF token Django expects, never follows redirects."""

    def __init__(self, base_url: str):
        self.base_url = base_url.rstrip("/")
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), NoRedirects)

    def request(self, path: str, data: dict | list | None = None, headers: dict | None = None) -> Answer:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.base_url + path, data=body, headers=headers or {})
        if body is not None:
            request.add_header("Referer", self.base_url + path)
        try:
            with self.opener.open(request, timeout=30) as response:
                return Answer(response.status, response.read().decode(), dict(response.headers))
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.read().decode(errors="replace"), dict(error.headers))

    def get(self, path: str) -> Answer:
        return self.request(path)

    def post(self, path: str, data: dict) -> Answer:
        token = next((cookie.value for cookie in self.cookies if cookie.name == "csrftoken"), "")
        return self.request(path, {**data, "csrfmiddlewaretoken": token})

    def form(self, path: str, form_id: str) -> dict:
        """The named form of the page at `path`, filled in as the page shows it."""
        answer = self.get(path)
        assert answer.status == 200, (path, answer.status)
        return FormFields(answer.text, form_id).as_dict()

    def log_in(self, login_path: str, username: str, password: str) -> Answer:
        self.get(login_path)
        return self.post(login_path, {"username": username, "password": password, "next": login_path})
