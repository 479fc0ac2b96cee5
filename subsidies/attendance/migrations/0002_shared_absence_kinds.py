"""The kinds of absence every county starts with (docs/policy.md §7). Whether a kind is paid:
婚丧假 by 劳动法 art. 51, 工伤 by 工伤保险条例 art. 33 (停工留薪期), 病假 by the county's practice
(a county changes it or adds its own kinds); 事假 and 旷工 are not paid."""

from django.db import migrations

KINDS = [
    # name, category, paid, symbol, shortcut
    ("事假", "leave", False, "事", "s"),
    ("病假", "leave", True, "病", "b"),
    ("婚丧假", "leave", True, "婚", "h"),
    ("工伤", "leave", True, "伤", "g"),
    ("旷工", "absence", False, "旷", "k"),
]


def add(apps, schema_editor):
    AbsenceKind = apps.get_model("attendance", "AbsenceKind")
    for order, (name, category, paid, symbol, shortcut) in enumerate(KINDS):
        AbsenceKind.objects.get_or_create(
            county=None,
            name=name,
            defaults={
                "category": category,
                "paid": paid,
                "symbol": symbol,
                "shortcut": shortcut,
                "ordering": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("attendance", "0001_initial")]

    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
