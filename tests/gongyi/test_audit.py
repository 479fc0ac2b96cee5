"""The audit trail: who, when, from where, before and after; append-only; chained."""

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from gongyi.audit import audit_record, audit_updated, audit_verify_chain, snapshot
from gongyi.enums import AuditAction, Role
from gongyi.models import AuditEntry, Region

pytestmark = pytest.mark.django_db


def rename(region, name, actor=None):
    before = snapshot(region)
    region.name = name
    region.save(update_fields=["name"])
    return audit_updated(actor=actor, instance=region, before=before)


def test_update_records_actor_address_and_changed_fields_only(area, users, login):
    client = login(users[Role.ADMIN])
    response = client.post(
        reverse("admin:gongyi_region_change", args=[area.village.pk]),
        {
            "code": area.village.code,
            "name": "甲新社区",
            "level": "village",
            "kind": "community",
            "parent": area.township.pk,
        },
        REMOTE_ADDR="10.1.2.3",
    )
    entry = AuditEntry.objects.filter(action=AuditAction.UPDATE).get()
    assert response.status_code == 302
    assert (entry.actor_username, entry.ip, entry.region_code) == (
        "admin",
        "10.1.2.3",
        area.village.code,
    )
    assert entry.changes == {"name": ["甲社区", "甲新社区"]}


def test_update_without_change_writes_nothing(area):
    assert rename(area.village, area.village.name) is None
    assert AuditEntry.objects.filter(action=AuditAction.UPDATE).count() == 0


def test_login_and_failed_login_are_on_record(area, users, client, password):
    client.post(reverse("login"), {"username": "clerk", "password": "wrong-one"})
    client.post(reverse("login"), {"username": "clerk", "password": password})
    actions = list(AuditEntry.objects.order_by("seq").values_list("action", "region_code"))
    assert actions == [(AuditAction.LOGIN_FAILED, "370902001"), (AuditAction.LOGIN, "370902001")]


def test_chain_verifies_when_intact(area):
    for n in range(5):
        rename(area.village, f"名称{n}")
    report = audit_verify_chain()
    assert (report.ok, report.checked) == (True, 5)


def test_entries_cannot_be_updated_or_deleted_in_postgresql(area):
    entry = audit_record(actor=None, action=AuditAction.UPDATE, instance=area.village)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(note="tampered")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()


def _tamper(sql, params):
    with connection.cursor() as cursor:
        # What someone with direct database access could do: switch triggers off, then edit.
        cursor.execute("SET session_replication_role = replica")
        cursor.execute(sql, params)
        cursor.execute("SET session_replication_role = DEFAULT")


def test_verify_reports_first_altered_entry(area):
    for n in range(5):
        rename(area.village, f"名称{n}")
    _tamper("UPDATE gongyi_auditentry SET changes = %s WHERE seq = 3", ['{"name": ["x", "y"]}'])
    report = audit_verify_chain()
    assert (report.ok, report.broken_seq, report.checked) == (False, 3, 2)
    assert "被修改" in report.reason


def test_verify_reports_deleted_entry(area):
    for n in range(5):
        rename(area.village, f"名称{n}")
    _tamper("DELETE FROM gongyi_auditentry WHERE seq = %s", [2])
    report = audit_verify_chain()
    assert (report.ok, report.broken_seq) == (False, 2)


def test_verify_reports_truncated_tail(area):
    for n in range(3):
        rename(area.village, f"名称{n}")
    _tamper("DELETE FROM gongyi_auditentry WHERE seq = %s", [3])
    report = audit_verify_chain()
    assert (report.ok, report.broken_seq) == (False, 3)


def test_verify_command_fails_with_the_broken_link(area):
    rename(area.village, "甲")
    rename(area.village, "乙")
    call_command("audit_verify")
    _tamper("UPDATE gongyi_auditentry SET actor_username = %s WHERE seq = 2", ["mallory"])
    with pytest.raises(CommandError, match="第 2 条"):
        call_command("audit_verify")


def test_history_page_lists_changes_oldest_first(area, users, login):
    rename(area.village, "甲一")
    rename(area.village, "甲二")
    response = login(users[Role.COUNTY]).get(
        reverse("object-history", args=["gongyi.region", area.village.pk])
    )
    body = response.content.decode().split('class="grid"')[1]
    assert response.status_code == 200
    assert body.index("甲一") < body.index("甲二")


def test_history_of_unknown_object_type_is_404(users, login):
    response = login(users[Role.COUNTY]).get(reverse("object-history", args=["gongyi.nothing", 1]))
    assert response.status_code == 404
    assert "不在您的管辖范围内" in response.content.decode()


def test_audit_log_filters_by_action_and_rejects_bad_dates(area, users, login):
    rename(area.village, "甲一")
    client = login(users[Role.COUNTY])
    response = client.get(reverse("audit-log"), {"action": "update", "from": "2026-13-40"})
    assert response.status_code == 200
    assert "日期格式应为" in response.content.decode()
    assert [e.action for e in response.context["page"].object_list] == ["update"]


def test_audit_log_query_count_does_not_grow_with_entries(
    area, users, login, django_assert_max_num_queries
):
    client = login(users[Role.COUNTY])
    for n in range(60):
        rename(area.village, f"名称{n}")
    with django_assert_max_num_queries(8):
        client.get(reverse("audit-log"))


def test_chain_stays_linear_under_concurrent_writers(transactional_db, area):
    import threading

    from django.db import connections

    def write(n):
        try:
            for i in range(10):
                region = Region.objects.get(pk=area.village.pk)
                audit_record(
                    actor=None, action=AuditAction.UPDATE, instance=region, note=f"{n}-{i}"
                )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    report = audit_verify_chain()
    assert (report.ok, report.checked) == (True, AuditEntry.objects.count())
    assert AuditEntry.objects.filter(note__contains="-").count() == 40


def test_admin_bulk_delete_records_each_object_once(area, users, login):
    client = login(users[Role.ADMIN])
    response = client.post(
        reverse("admin:gongyi_region_changelist"),
        {"action": "delete_selected", "_selected_action": [area.other_village.pk], "post": "yes"},
    )
    entry = AuditEntry.objects.get(action=AuditAction.DELETE)
    assert response.status_code == 302
    assert (entry.object_pk, entry.changes["name"]) == (
        str(area.other_village.pk),
        ["乙社区", None],
    )
    assert not Region.objects.filter(pk=area.other_village.pk).exists()
    assert audit_verify_chain().ok


def test_large_append_goes_through_copy_and_the_chain_holds(area):
    """An import's thousands of entries are written with COPY (gongyi.db); the chain is intact."""
    from gongyi.audit import Change, audit_record_many, audit_verify_chain

    changes = [
        Change("update", area.village, {"name": [f"旧{i}", f"新{i}"]}, plain=True)
        for i in range(600)
    ]
    entries = audit_record_many(actor=None, changes=changes)
    stored = AuditEntry.objects.filter(object_pk=str(area.village.pk)).order_by("seq")
    assert (stored.count(), stored.last().changes, entries[-1].pk is not None) == (
        600,
        {"name": ["旧599", "新599"]},
        True,
    )
    assert audit_verify_chain().ok


def test_audit_list_shows_six_fields_of_a_change_and_links_the_rest(area, users, login):
    """A created object lists every field; the log shows six and sends the reader to the history."""
    from gongyi.audit import audit_created

    audit_created(actor=users[Role.COUNTY], instance=users[Role.CLERK])
    body = login(users[Role.COUNTY]).get(reverse("audit-log")).content.decode()
    start = body.index('<table class="changes">')
    table = body[start : body.index("</table>", start)]
    assert table.count("<tr><td>") == 6
    assert ("另有" in body, f"/history/gongyi.user/{users[Role.CLERK].pk}/" in body) == (True, True)


def test_every_registered_object_page_exists():
    """The history links an object to its page without a fallback: each page must reverse."""
    from gongyi.history import OBJECT_PAGES

    for object_type, page in OBJECT_PAGES.items():
        key = "410101001" if page.key == "code" else "1"
        assert reverse(page.url_name, args=[key]), object_type
