"""A meeting's minutes scan is stored under a random name with the extension of its bytes."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from people.onboarding.models import DemocraticReview
from tests.onboarding.test_queue_views import _meeting, two_awaiting_review  # noqa: F401

pytestmark = pytest.mark.django_db


def test_minutes_named_pdf_but_png_are_stored_as_png(two_awaiting_review, village_user, login):  # noqa: F811
    app = two_awaiting_review[0]
    data = _meeting([app], **{f"a{app.pk}": {"result": "pass", "votes": 20}})
    data["minutes_file"] = SimpleUploadedFile(
        "张三 370902.html", b"\x89PNG\r\n\x1a\nminutes", "text/html"
    )
    client = login(village_user)
    assert client.post(reverse("democratic-review-create"), data).status_code == 302
    name = DemocraticReview.objects.get().minutes_file.name
    assert name.startswith("onboarding/minutes/") and name.endswith(".png")
    assert "370902" not in name
    scan = client.get(
        reverse("democratic-review-minutes", args=[DemocraticReview.objects.get().pk])
    )
    assert (scan["Content-Type"], "no-store" in scan["Cache-Control"]) == ("image/png", True)
