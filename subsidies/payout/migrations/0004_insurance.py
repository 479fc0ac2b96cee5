"""The year's insurance as payout batches of their own kinds (docs/policy.md §7, "Insurance"):
the kinds, the line's kind (its existing lines take their batch's), the line without an
attendance month, the monthly "paid once" index kept to the monthly kinds and its yearly twin,
and the flexible workers' insurance recorded per placement and year."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('attendance', '0007_month_fk_indexes'),
        ('payout', '0003_default_bank_template'),
        ('people', '0006_area_indexes'),
        ('posts', '0003_catalogue_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='FlexibleInsurance',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                ('region_code', models.CharField(editable=False, max_length=12, verbose_name='region code')),
                ('evidence', models.CharField(blank=True, max_length=200, verbose_name='evidence')),
                ('recorded_at', models.DateTimeField(auto_now_add=True, verbose_name='recorded')),
            ],
            options={
                'verbose_name': 'flexible-worker insurance',
                'verbose_name_plural': 'flexible-worker insurance',
                'ordering': ['-year', 'region_code', 'placement'],
            },
        ),
        migrations.RemoveConstraint(
            model_name='payoutline',
            name='payout_line_one_live',
        ),
        migrations.AddField(
            model_name='payoutline',
            name='kind',
            field=models.CharField(choices=[('urban', 'Urban posts'), ('rural', 'Rural posts'), ('social_insurance', 'Social-insurance subsidy'), ('accident_insurance', 'Accident insurance')], default='urban', max_length=20, verbose_name='kind'),
            preserve_default=False,
        ),
        # Every line made so far is of its batch's kind.
        migrations.RunSQL(
            "UPDATE payout_payoutline l SET kind = b.kind FROM payout_payoutbatch b"
            " WHERE b.id = l.batch_id AND l.kind <> b.kind",
            migrations.RunSQL.noop,
        ),
        migrations.AlterField(
            model_name='payoutbatch',
            name='kind',
            field=models.CharField(choices=[('urban', 'Urban posts'), ('rural', 'Rural posts'), ('social_insurance', 'Social-insurance subsidy'), ('accident_insurance', 'Accident insurance')], max_length=20, verbose_name='kind'),
        ),
        migrations.AlterField(
            model_name='payoutline',
            name='row',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='attendance.attendancemonth', verbose_name='attendance month'),
        ),
        migrations.AddConstraint(
            model_name='payoutline',
            constraint=models.UniqueConstraint(condition=models.Q(('kind__in', ('urban', 'rural')), ('status__in', ('pending', 'held', 'paid'))), fields=('placement', 'month'), name='payout_line_one_live'),
        ),
        migrations.AddConstraint(
            model_name='payoutline',
            constraint=models.UniqueConstraint(condition=models.Q(('kind__in', ('social_insurance', 'accident_insurance')), ('status__in', ('pending', 'held', 'paid'))), fields=('placement', 'month', 'kind'), name='payout_line_one_live_yearly'),
        ),
        migrations.AddConstraint(
            model_name='payoutline',
            constraint=models.CheckConstraint(condition=models.Q(('kind__in', ['urban', 'rural', 'social_insurance', 'accident_insurance'])), name='payout_line_kind'),
        ),
        migrations.AddField(
            model_name='flexibleinsurance',
            name='placement',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='people.placement', verbose_name='placement'),
        ),
        migrations.AddField(
            model_name='flexibleinsurance',
            name='recorded_by',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by'),
        ),
        migrations.AddConstraint(
            model_name='flexibleinsurance',
            constraint=models.UniqueConstraint(fields=('placement', 'year'), name='flexible_insurance_once_a_year'),
        ),
        migrations.AddConstraint(
            model_name='flexibleinsurance',
            constraint=models.CheckConstraint(condition=models.Q(('year__gte', 2000), ('year__lte', 2100)), name='flexible_insurance_year'),
        ),
    ]
