"""The three target groups from Shandong practice named their source as a file of the project's
notes ("RULES.md §2"), which the groups page showed to users; they now say it in words
(docs/policy.md §2). Rows a county changed are left alone."""

from django.db import migrations

OLD_TO_NEW = {
    "RULES.md §2": "山东省各地做法",
    "RULES.md §2（16-24 周岁）": "山东省各地做法（16-24 周岁）",
}


def forwards(apps, schema_editor):
    TargetGroup = apps.get_model("people", "TargetGroup")
    for old, new in OLD_TO_NEW.items():
        TargetGroup.objects.filter(county=None, source=old).update(source=new)


class Migration(migrations.Migration):
    dependencies = [("people", "0004_placement_subsidy_standard")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
