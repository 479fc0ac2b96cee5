"""Benchmark of a village publicity PDF of 200 names (target: under 2 s). Imported by
``bench.__main__`` after ``django.setup()`` and ``seed_demo``; figures and ratios only, never
assertions of speed.

The list is built from the demo's people: 200 applications of one village in publicity, on one
list, with a few published findings on objections, all rolled back at the end. The PDF is asked
for as a user does (the view, through the test client: scoping, queries, template, WeasyPrint),
and against two baselines from the same run: the same list's HTML page (everything but the PDF)
and WeasyPrint rendering a one-line document (its fixed cost).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import statistics
import time

from django.db import transaction
from django.test import Client, RequestFactory
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

NAMES = 200
FINDINGS = 5


def _median_seconds(function, repeat: int) -> float:
    """Median seconds of ``function()`` after one warm-up call."""
    function()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def _publicity(n: int):
    """A village's publicity list of ``n`` applications of the demo county's people, with
    ``FINDINGS`` resolved objections; returns (publicity, the county user, how many listed)."""
    from gongyi.enums import Role
    from gongyi.models import User
    from people.models import Person
    from people.onboarding.enums import CLOSED_STATES, ApplicationState, ObjectionStatus
    from people.onboarding.models import Application, Objection, Publicity, Round
    from posts.models import Post

    county = User.objects.filter(role=Role.COUNTY, region__code="370902").order_by("pk").first()
    post = Post.objects.filter(region_code__startswith="370902", village__isnull=False).first()
    village, today = post.village, timezone.localdate()
    busy = Application.objects.exclude(state__in=list(CLOSED_STATES)).values("person_id")
    people = list(
        Person.objects.filter(region_code__startswith="370902")
        .exclude(pk__in=busy)
        .order_by("region_code", "pk")[:n]
    )
    round_ = Round.objects.create(
        township=post.township,
        region_code=post.township.code,
        title="公示名单基准测试招聘",
        who_may_apply="农村大龄人员",
        opens_on=today - dt.timedelta(days=30),
        closes_on=today - dt.timedelta(days=10),
        apply_at="便民服务中心",
        contact="0538-0000000",
        status="published",
        published_on=today - dt.timedelta(days=30),
        created_by=county,
    )
    publicity = Publicity.objects.create(
        village=village,
        region_code=village.code,
        round=round_,
        starts_on=today,
        ends_on=today + dt.timedelta(days=7),
        working_days=5,
        created_by=county,
    )
    now = timezone.now()
    apps = Application.objects.bulk_create(
        Application(
            round=round_,
            post=post,
            person=person,
            region_code=person.region_code,
            state=ApplicationState.PUBLICITY,
            state_changed_at=now,
            applied_on=today - dt.timedelta(days=20),
            eligibility={"groups": ["rural_older"]},
            rank=i + 1,
            publicity=publicity,
            created_by=county,
        )
        for i, person in enumerate(people)
    )
    Objection.objects.bulk_create(
        Objection(
            application=app,
            raised_on=today,
            content="反映其已在企业就业",
            status=ObjectionStatus.DISMISSED,
            finding="经核查，社保缴费记录为2019年以前，反映不属实。",
            found_on=today,
            received_by=county,
            found_by=county,
        )
        for app in apps[:FINDINGS]
    )
    return publicity, county, len(people)


def bench_onboarding_pdf(repeat: int = 5) -> None:
    """A village publicity PDF of 200 names vs its HTML page and a one-line PDF."""
    import pypdf
    from weasyprint import HTML

    from people.onboarding.print_views import PublicityView
    from people.onboarding.printing import document_html, render_pdf

    with override_settings(DEBUG=False), transaction.atomic():
        publicity, county, names = _publicity(NAMES)
        client = Client()
        client.force_login(county)
        pdf_url = reverse("publicity-pdf", args=[publicity.pk])
        page_url = reverse("publicity-print", args=[publicity.pk])

        def pdf():
            response = client.get(pdf_url)
            assert response.status_code == 200, response.status_code
            return b"".join(response.streaming_content)

        def page():
            response = client.get(page_url)
            assert response.status_code == 200, response.status_code
            return response.content

        data = pdf()
        reader = pypdf.PdfReader(io.BytesIO(data))
        text = "".join(p.extract_text() for p in reader.pages)
        listed = list(publicity.applications.values_list("person__name", "person__id_number"))
        shown = sum(1 for name, _number in listed if name in text)
        full_numbers = sum(1 for _name, number in listed if number in text)
        # The same document's HTML as the PDF view makes it, to time WeasyPrint's part alone.
        request = RequestFactory().get(pdf_url)
        request.user = county
        view = PublicityView()
        html = document_html(
            request, view.template_name, view.document(request, publicity.pk), pdf=True
        )
        seconds = _median_seconds(pdf, repeat)
        page_seconds = _median_seconds(page, repeat)
        layout_seconds = _median_seconds(lambda: render_pdf(html), repeat)
        one_line = _median_seconds(lambda: HTML(string="<p>公示</p>").write_pdf(), repeat)
        transaction.set_rollback(True)

    target = 2.0
    verdict = "under" if seconds < target else "OVER"
    print(
        f"publicity PDF of {names} names: {seconds:.2f} s median of {repeat} "
        f"({verdict} the {target:.0f} s target), {len(reader.pages)} A4 pages, "
        f"{len(data) / 1024:.0f} KiB, {shown}/{names} names found in its text, {full_numbers} full ID numbers"
    )
    print(
        f"  vs the same list's HTML page: {page_seconds * 1000:.0f} ms, "
        f"ratio {seconds / page_seconds:.1f}x"
    )
    print(
        f"  vs WeasyPrint rendering a one-line document: {one_line * 1000:.0f} ms, "
        f"ratio {seconds / one_line:.1f}x"
    )
    print(f"  of which WeasyPrint laying out the list's HTML: {layout_seconds:.2f} s")
    # On a shared machine the figure follows the other load: say what it was.
    print(f"  (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores when done)")
