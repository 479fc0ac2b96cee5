"""The post's working days and hours of the whole month on each row (what a placement that starts
or ends inside the month is paid a share of), and room on each page for a row's next version.

Rows kept before this migration get their own planned days and hours, which is exact for a
placement that covers the month and what the payout paid such a row before.

``fillfactor = 50``: a month's row is rewritten every day it is marked and once more when the
month closes; with half of each page free, PostgreSQL writes the new version on the same page
without touching the table's four indexes (a heap-only update), which makes "all present" for a
province's month about three times cheaper (docs/speed.md, attendance).
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("attendance", "0005_assessment")]

    operations = [
        migrations.AddField(
            model_name="attendancemonth",
            name="full_days",
            field=models.PositiveSmallIntegerField(
                null=True, verbose_name="working days of the month"
            ),
        ),
        migrations.AddField(
            model_name="attendancemonth",
            name="full_hours",
            field=models.DecimalField(
                decimal_places=1,
                max_digits=6,
                null=True,
                verbose_name="working hours of the month",
            ),
        ),
        migrations.RunSQL(
            """
            UPDATE attendance_attendancemonth m SET
                full_days = (SELECT count(*) FROM unnest(m.planned) AS p WHERE p > 0),
                full_hours = (SELECT coalesce(sum(p), 0) FROM unnest(m.planned) AS p)
            """,
            migrations.RunSQL.noop,
        ),
        migrations.AlterField(
            model_name="attendancemonth",
            name="full_days",
            field=models.PositiveSmallIntegerField(verbose_name="working days of the month"),
        ),
        migrations.AlterField(
            model_name="attendancemonth",
            name="full_hours",
            field=models.DecimalField(
                decimal_places=1, max_digits=6, verbose_name="working hours of the month"
            ),
        ),
        migrations.RunSQL(
            "ALTER TABLE attendance_attendancemonth SET (fillfactor = 50)",
            "ALTER TABLE attendance_attendancemonth RESET (fillfactor)",
        ),
    ]
