"""The page cache is gone: drop its statement triggers, trigger function and sequence from a
database that had them (installed after ``migrate`` by the old ``gongyi.pagecache``)."""

from django.db import migrations

DROP = """
DO $$
DECLARE t record;
BEGIN
    FOR t IN SELECT event_object_schema AS s, event_object_table AS n
             FROM information_schema.triggers
             WHERE trigger_name = 'gongyi_data_version'
             GROUP BY 1, 2
    LOOP
        EXECUTE format('DROP TRIGGER IF EXISTS gongyi_data_version ON %I.%I', t.s, t.n);
    END LOOP;
END $$;
DROP FUNCTION IF EXISTS gongyi_bump_data_version();
DROP SEQUENCE IF EXISTS gongyi_data_version;
"""


class Migration(migrations.Migration):
    dependencies = [("gongyi", "0004_calendarday")]

    operations = [migrations.RunSQL(DROP, reverse_sql=migrations.RunSQL.noop)]
