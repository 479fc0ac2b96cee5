from django.db import migrations

GENESIS_HASH = "0" * 64

APPEND_ONLY_SQL = """
CREATE OR REPLACE FUNCTION gongyi_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit entries are append-only (%% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER gongyi_auditentry_append_only
    BEFORE UPDATE OR DELETE ON gongyi_auditentry
    FOR EACH ROW EXECUTE FUNCTION gongyi_audit_append_only();
"""
DROP_SQL = """
DROP TRIGGER IF EXISTS gongyi_auditentry_append_only ON gongyi_auditentry;
DROP FUNCTION IF EXISTS gongyi_audit_append_only();
"""


def create_head(apps, schema_editor):
    apps.get_model("gongyi", "AuditChainHead").objects.get_or_create(
        pk=1, defaults={"seq": 0, "hash": GENESIS_HASH}
    )


def add_trigger(apps, schema_editor):
    # PostgreSQL refuses any UPDATE or DELETE of an entry.
    schema_editor.execute(APPEND_ONLY_SQL)


def drop_trigger(apps, schema_editor):
    schema_editor.execute(DROP_SQL)


class Migration(migrations.Migration):
    dependencies = [("gongyi", "0001_initial")]

    operations = [
        migrations.RunPython(create_head, migrations.RunPython.noop),
        migrations.RunPython(add_trigger, drop_trigger),
    ]
