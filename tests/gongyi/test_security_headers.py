"""Content-Security-Policy, Permissions-Policy and no-store on every answer that is not a static
file; no inline script, event handler or style in any template; scans stored under the
extension of what their bytes are."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongyi.enums import Role
from gongyi.middleware import CONTENT_SECURITY_POLICY, DOCS_CONTENT_SECURITY_POLICY
from people import services as people_services
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

#: What a policy of ``script-src 'self'; style-src 'self'`` refuses in a page.
INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|\sstyle\s*=|<style\b", re.I)


def assert_private(response, csp=CONTENT_SECURITY_POLICY):
    assert (
        response["Content-Security-Policy"],
        "no-store" in response["Cache-Control"],
        "camera=()" in response["Permissions-Policy"],
    ) == (csp, True, True)


def test_the_policy_allows_only_the_sites_own_scripts_and_styles():
    directives = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))
    assert (directives["script-src"], directives["style-src"], directives["object-src"]) == (
        "'self'",
        "'self'",
        "'none'",
    )
    assert "unsafe" not in CONTENT_SECURITY_POLICY


def test_no_template_has_inline_script_handlers_or_styles():
    offending = [
        f"{path.relative_to(settings.BASE_DIR)}: {match.group(0)}"
        for path in sorted(Path(settings.BASE_DIR, "templates").rglob("*.html"))
        for match in INLINE.finditer(path.read_text())
    ]
    assert offending == []


@pytest.mark.parametrize(
    "role, name",
    [
        (Role.COUNTY, "home"),
        (Role.CLERK, "home"),
        (Role.COUNTY, "person-list"),
        (Role.COUNTY, "post-list"),
        (Role.COUNTY, "audit-log"),
        (Role.ADMIN, "admin:index"),
        (Role.ADMIN, "admin:gongyi_user_changelist"),
        (Role.ADMIN, "admin:gongyi_apitoken_changelist"),
    ],
)
def test_pages_are_private_and_render_no_inline_code(users, login, role, name):
    response = login(users[role]).get(reverse(name))
    assert response.status_code == 200
    assert_private(response)
    assert INLINE.findall(response.content.decode()) == []


def test_the_login_page_api_answers_and_exports_are_private(users, login, client):
    assert_private(client.get(reverse("login")))
    county = login(users[Role.COUNTY])
    assert_private(county.get(reverse("api:person-list")))
    export = county.get(reverse("person-list"), {"format": "xlsx"})
    assert export.status_code == 200
    assert_private(export)


def test_only_the_api_docs_may_use_inline_styles(users, login):
    client = login(users[Role.COUNTY])
    page = client.get(reverse("api-docs"))
    assert_private(page, DOCS_CONTENT_SECURITY_POLICY)
    assert "<script>" not in page.content.decode()  # the setup is a script file of its own
    assert client.get(reverse("api-docs"), {"script": ""}).status_code == 200


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.parametrize(
    "name, content, extension",
    [
        ("身份证.pdf", b"\x89PNG\r\n\x1a\n....", "png"),
        ("scan.html", b"%PDF-1.4\n%test\n", "pdf"),
        ("photo", b"\xff\xd8\xff\xe0....", "jpg"),
    ],
)
def test_a_scan_is_stored_under_the_extension_of_its_bytes(
    area, users, login, media, name, content, extension
):
    clerk = users[Role.CLERK]
    person = PersonFactory(village=area.village)
    upload = SimpleUploadedFile(name, content, content_type="text/html")
    document = people_services.document_add(
        actor=clerk, person=person, kind="id_card", upload=upload
    )
    assert document.file.name.rsplit(".", 1)[1] == extension
    response = login(clerk).get(reverse("person-document", args=[document.pk]))
    assert response.status_code == 200
    assert_private(response)
