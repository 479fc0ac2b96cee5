"""The target groups the seeds name (docs/policy.md §2), with their place in the priority order
(docs/policy.md §3; seed 003 §8) and whether seed 003 §19 allows them a second placement."""

from django.db import migrations

# (code, name, area, age condition, priority, may be placed again, source)
STANDARD_TARGET_GROUPS = [
    ("zero_employment_household", "城镇零就业家庭人员", "urban", "", 1, True, "001 §二(一); 003 §8 §19"),
    ("urban_older_unemployed", "城镇大龄失业人员", "urban", "urban_older", 2, True, "001 §二(一); 003 §8 §19"),
    ("poverty_alleviated", "脱贫享受政策人口", "rural", "", 3, True, "001 §二(一); 003 §8 §19"),
    ("relapse_monitored", "防止返贫监测帮扶对象", "rural", "", 3, True, "001 §二(一)（含）; 003 §19"),
    ("rural_low_income", "农村低收入人口", "rural", "", 4, False, "001 §二(一); 003 §8"),
    ("rural_disabled", "农村残疾人", "rural", "", 5, False, "001 §二(一); 003 §8"),
    ("rural_older", "农村大龄人员", "rural", "rural_older", None, True, "001 §二(一); 003 §19"),
    ("single_parent", "未成年子女单亲家长", "rural", "", None, False, "山东省各地做法"),
    ("young_unemployed", "登记失业青年", "rural", "young", None, False, "山东省各地做法（16-24 周岁）"),
    ("unemployed_mother", "登记失业的两孩母亲", "rural", "", None, False, "山东省各地做法"),
]


def load(apps, schema_editor=None):
    TargetGroup = apps.get_model("people", "TargetGroup")
    existing = set(TargetGroup.objects.filter(county=None).values_list("code", flat=True))
    TargetGroup.objects.bulk_create(
        TargetGroup(
            code=code,
            name=name,
            area=area,
            age_condition=age,
            priority=priority,
            may_be_placed_again=again,
            source=source,
        )
        for code, name, area, age, priority, again, source in STANDARD_TARGET_GROUPS
        if code not in existing
    )


def unload(apps, schema_editor):
    TargetGroup = apps.get_model("people", "TargetGroup")
    TargetGroup.objects.filter(
        county=None, code__in=[row[0] for row in STANDARD_TARGET_GROUPS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
