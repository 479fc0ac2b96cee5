"""Region CSV import (docs/policy.md §10): all rows or none, safe to re-run."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from gongyi.enums import RegionKind, RegionLevel
from gongyi.errors import DomainError
from gongyi.models import AuditEntry, Region
from gongyi.services import region_import_csv, region_kind_for_code

pytestmark = pytest.mark.django_db

GOOD = "code,name,parent_code\n370902,泰山区,\n370902001,岱庙街道,370902\n370902001001,甲社区,370902001\n"


def test_region_kind_for_code_follows_rules_section_10():
    assert region_kind_for_code("370902001") == RegionKind.STREET  # 岱庙街道
    assert region_kind_for_code("370902100") == RegionKind.TOWN  # 省庄镇
    assert region_kind_for_code("370902200") == RegionKind.TOWNSHIP
    assert region_kind_for_code("370902001001") == RegionKind.COMMUNITY
    assert region_kind_for_code("370902100200") == RegionKind.VILLAGE
    assert region_kind_for_code("370902000") is None


def test_region_import_creates_tree_and_rerun_changes_nothing():
    first = region_import_csv(actor=None, data=GOOD.encode())
    entries = AuditEntry.objects.count()
    second = region_import_csv(actor=None, data=GOOD.encode())
    village = Region.objects.get(code="370902001001")
    assert (first.created, second.created, second.unchanged) == (3, 0, 3)
    assert village.parent.code == "370902001"
    assert village.level == RegionLevel.VILLAGE
    assert AuditEntry.objects.count() == entries


def test_region_import_renames_and_records_before_and_after():
    region_import_csv(actor=None, data=GOOD.encode())
    region_import_csv(actor=None, data=GOOD.replace("甲社区", "甲新社区").encode())
    entry = AuditEntry.objects.filter(object_type="gongyi.region").order_by("-seq").first()
    assert Region.objects.get(code="370902001001").name == "甲新社区"
    assert entry.changes == {"name": ["甲社区", "甲新社区"]}


def test_region_import_reads_gbk_from_excel():
    result = region_import_csv(actor=None, data=GOOD.encode("gb18030"))
    assert Region.objects.get(code="370902").name == "泰山区"
    assert result.created == 3


@pytest.mark.parametrize(
    ("row", "column", "fragment"),
    [
        ("37090200,坏代码,370902", "code", "6、9 或 12 位数字"),
        ("3709020A1,坏代码,370902", "code", "6、9 或 12 位数字"),
        ("370902002,财源街道,370999", "parent_code", "上级应为 370902"),
        ("370903001,别处街道,370903", "parent_code", "既不在文件中"),
        ("370902001,重复街道,370902", "code", "与第 3 行重复"),
        ("370902002,,370902", "name", "名称为空"),
        ("370902000,零街道,370902", "code", "不是有效的"),
    ],
)
def test_region_import_refuses_bad_rows_and_writes_nothing(row, column, fragment):
    with pytest.raises(DomainError) as caught:
        region_import_csv(actor=None, data=(GOOD + row + "\n").encode())
    error = caught.value.errors[0]
    assert (error.row, error.column) == (5, column)
    assert fragment in error.message
    assert "未导入任何数据" in caught.value.message
    assert Region.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_region_import_refuses_wrong_header():
    with pytest.raises(DomainError, match="表头"):
        region_import_csv(actor=None, data="编码,名称\n370902,泰山区\n".encode())


def test_load_regions_command_ships_taishan_with_its_seven_townships():
    call_command("load_regions")
    townships = dict(Region.objects.filter(level=RegionLevel.TOWNSHIP).values_list("code", "name"))
    assert townships == {
        "370902001": "岱庙街道",
        "370902002": "财源街道",
        "370902003": "泰前街道",
        "370902004": "上高街道",
        "370902005": "徐家楼街道",
        "370902100": "省庄镇",
        "370902101": "邱家店镇",
    }


def test_load_regions_command_reports_every_bad_row_in_chinese(tmp_path: Path):
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name,parent_code\n370902,泰山区,\n12345,坏,\n370902001,,370902\n")
    with pytest.raises(CommandError) as caught:
        call_command("load_regions", str(bad))
    assert "第 3 行，code 列" in str(caught.value)
    assert "第 4 行，name 列" in str(caught.value)
    assert Region.objects.count() == 0
