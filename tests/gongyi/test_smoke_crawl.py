"""The smoke crawl: the demo county as ``seed_demo`` makes it, every demo user logged in in turn,
every link of the navigation and the home page followed (and the links of the pages they reach,
to a depth), and every page opened: lists, details, print pages, PDFs, exports, API roots.

A page fails the crawl on a server error, on English text a user would read, on the project's
internal words (file names, seed numbers, setting keys), and, if it is a public notice (the notice
board's announcement and publicity list), on a full ID number. docs/development.md says more.
"""

from __future__ import annotations

import io
import json
import re
import traceback
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.core.signals import got_request_exception
from django.db import transaction
from django.test import Client

from gongyi.enums import Role
from gongyi.models import User

#: Fewer people than the demo's default keep the seeding quick; every village still has enough
#: for each state of the workflow (tests/onboarding/test_demo.py seeds as many).
PEOPLE = 1000
DEPTH = 4
API_ROOT = "/api/v1/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGES_PER_USER = 200
#: Pages of one kind (the same path but for its numbers and query: another person, another
#: filter or page of a list) opened at most this many times: the crawl is after kinds of page.
PAGES_PER_KIND = 2

#: Words that read the same in a Chinese office: formats, encodings (a bank's file is GBK or
#: UTF-8, with or without a BOM), and the product's own name.
ALLOWED_WORDS = frozenset(
    {
        *("PDF", "Excel", "API", "ID", "IP", "gongyi", "Token", "XLSX", "CSV", "JPEG", "PNG"),
        *("KB", "MB", "GBK", "UTF-", "BOM"),
    }
)
#: Paths never followed: the session would end, or the file is not a page. (Of Django's admin,
#: only the index and the lists are opened, see ``Crawl.follow``.)
SKIPPED = ("/logout/", "/static/", "/media/", "/admin/logout/", "/admin/password_change/")
#: Public notices: printed for a notice board, so an ID number on them is masked (seed 003).
PUBLIC_NOTICE = re.compile(r"^/onboarding/(rounds/\d+/announcement|publicities/\d+/(print|list))")
FULL_ID_NUMBER = re.compile(r"(?<![0-9])\d{17}[0-9X](?![0-9X])")
#: The project's own words, never for a user: its files, the seed documents' numbers, setting keys.
INTERNAL = re.compile(r"RULES\.md|README|\.md\b|\bseed \d{3}\b|\b[a-z]+\.[a-z]+(?:_[a-z]+)+\b")
ASCII_WORDS = re.compile(r"[A-Za-z][A-Za-z'’\-]*(?:[ \t]+[A-Za-z][A-Za-z'’\-]*)*")
IDENTIFIER = re.compile(r"[A-Za-z]*[0-9_.@/][A-Za-z0-9_.@/\-]*")


@pytest.fixture(scope="module")
def demo_county(django_db_setup, django_db_blocker):
    """The demo county seeded once for the module, in a transaction rolled back at its end; each
    test runs in a savepoint inside it (pytest-django's ``db``), so what a page writes goes too."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", people=PEOPLE, stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def demo_users() -> list[str]:
    """One demo user of each kind: the administrator, the county, the first township's clerk
    and village, a department's reviewer (the departments' pages differ only in the
    department's name), and the finance department."""
    return [
        "admin",
        "county",
        "clerk_370902001",
        "village_370902001001",
        "reviewer_civil_affairs",
        "finance",
    ]


class _Page(HTMLParser):
    """Links, and the text a user reads: visible text, titles, button and field labels."""

    HIDDEN = {"script", "style", "template", "noscript"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.texts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.HIDDEN:
            self._hidden += 1
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        for name in ("title", "placeholder", "aria-label"):
            if attrs.get(name):
                self.texts.append(attrs[name])
        if tag == "input" and attrs.get("type") in {"submit", "button"} and attrs.get("value"):
            self.texts.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.texts.append(data)


def english_in(texts: list[str]) -> list[str]:
    """Runs of English a user would read: two words or more, or one capitalised word, that are
    not an allowed word, a code with digits or underscores (a login name, a file), or a URL."""
    found = []
    for text in texts:
        text = re.sub(r"https?://\S+|\S+@\S+", " ", text)
        text = IDENTIFIER.sub(" ", text)
        for run in ASCII_WORDS.findall(text):
            words = [w for w in run.split() if w not in ALLOWED_WORDS]
            if len(words) > 1 or (words and words[0][0].isupper() and len(words[0]) > 1):
                found.append(" ".join(words))
    return found


@dataclass
class Crawl:
    client: Client
    problems: list[str] = field(default_factory=list)
    opened: list[str] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)
    content_types: set[str] = field(default_factory=set)
    per_kind: Counter = field(default_factory=Counter)

    def follow(self, url: str, referrer: str) -> str | None:
        url = urldefrag(urljoin(referrer, url)).url
        parts = urlsplit(url)
        if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
            return None
        path = parts.path
        if not path.startswith("/") or path.startswith(SKIPPED) or url in self.seen:
            return None
        if path.startswith("/admin/") and path.count("/") > 4:
            return None  # an admin object's own pages: Django's, and many
        url = path + (f"?{parts.query}" if parts.query else "")
        return None if self.enough(url) else url

    def enough(self, url: str) -> bool:
        kind = _kind(url)
        return self.per_kind[kind] >= (1 if kind.endswith("#1") else PAGES_PER_KIND)

    def open(self, url: str) -> list[str]:
        self.seen.add(url)
        path = urlsplit(url).path
        self.per_kind[_kind(url)] += 1
        self.opened.append(url)
        api = path.startswith(API_ROOT)
        response = self.client.get(url, HTTP_ACCEPT="application/json" if api else "*/*")
        status = response.status_code
        if status >= 500:
            self.problems.append(f"{url}: {status}")
            return []
        if status in (301, 302):
            return [response["Location"]]
        if status != 200:
            return []
        kind = response.get("Content-Type", "").split(";")[0]
        self.content_types.add(kind)
        body = b"".join(response) if response.streaming else response.content
        if kind == "application/json" and path == API_ROOT:
            return list(json.loads(body).values())
        if kind.startswith("application/pdf"):
            if PUBLIC_NOTICE.match(path):
                self._check_id_numbers(url, _pdf_text(body))
            return []
        if not kind.startswith("text/html"):
            return []
        page = _Page()
        page.feed(body.decode())
        english = english_in(page.texts)
        if english:
            self.problems.append(f"{url}: English {sorted(set(english))[:8]}")
        internal = INTERNAL.findall(" ".join(page.texts))
        if internal:
            self.problems.append(f"{url}: internal text {sorted(set(internal))[:8]}")
        if PUBLIC_NOTICE.match(path):
            self._check_id_numbers(url, " ".join(page.texts))
        return page.links

    def _check_id_numbers(self, url, text):
        if FULL_ID_NUMBER.search(text):
            self.problems.append(f"{url}: a full ID number on a public notice")


def _kind(url: str) -> str:
    """Another person, another filter or page of a list is the same kind of page; an export of
    the list (``?format=xlsx``) is another."""
    parts = urlsplit(url)
    formats = re.findall(r"(?:^|&)(format=\w+)", parts.query)
    kind = re.sub(r"\d+", "N", parts.path) + "".join(f"?{f}" for f in formats)
    # PDFs take a second each to make: one of each kind is enough.
    return kind + "#1" if kind.endswith(".pdf") else kind


def _pdf_text(body: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


def crawl(client: Client) -> Crawl:
    state = Crawl(client)
    errors: list[str] = []

    def record(sender, request, **kwargs):
        errors.append(f"{request.path}: {traceback.format_exc(limit=-3)}")

    got_request_exception.connect(record)
    try:
        frontier = ["/", API_ROOT]
        for _depth in range(DEPTH + 1):
            following = []
            for url in frontier:
                if len(state.opened) >= PAGES_PER_USER:
                    break
                if url in state.seen or state.enough(url):
                    continue
                for link in state.open(url):
                    target = state.follow(link, url)
                    if target:
                        following.append(target)
            frontier = list(dict.fromkeys(following))
    finally:
        got_request_exception.disconnect(record)
    state.problems.extend(errors)
    return state


@pytest.mark.parametrize("username", demo_users())
def test_crawl_every_page_a_demo_user_reaches(demo_county, db, username):
    user = User.objects.get(username=username)
    client = Client(raise_request_exception=False)
    client.force_login(user)

    state = crawl(client)

    assert state.problems == [], "\n".join(state.problems)
    reached = {"text/html", "application/json"}
    if user.role in (Role.COUNTY, Role.CLERK):
        reached |= {"application/pdf", XLSX}
    assert reached <= state.content_types, sorted(state.per_kind)


def test_crawl_covers_every_role(demo_county, db):
    kinds = set(User.objects.filter(username__in=demo_users()).values_list("role", flat=True))
    assert kinds == set(Role)


def test_crawl_the_pages_before_logging_in(demo_county, db):
    state = crawl(Client(raise_request_exception=False))

    assert state.problems == [], "\n".join(state.problems)
    assert "/login/?next=/" in state.opened


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("保存", []),
        ("Log out", ["Log out"]),
        ("首页 Home", ["Home"]),
        ("下载 PDF · 导出 Excel · API", []),
        ("登录名 clerk_370902001，county", []),
        ("文件 名单.xlsx 2.5 MB", []),
    ],
)
def test_english_in_finds_untranslated_words_only(text, found):
    assert english_in([text]) == found


def test_internal_text_and_full_id_numbers_are_recognised():
    assert INTERNAL.findall("见 RULES.md §2；people.rural_min_age；seed 003 §8") == [
        "RULES.md",
        "people.rural_min_age",
        "seed 003",
    ]
    assert FULL_ID_NUMBER.findall("37090219680402002X 370902********002X 1370902196804020021") == [
        "37090219680402002X"
    ]
