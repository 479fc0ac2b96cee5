"""The standard post names the seeds give, under their categories (docs/policy.md §1)."""

from django.db import migrations

# (category, name, source, typical duties) — seed 001 §二(二), seed 003 §二(一)1, seed 000, seed 004.
STANDARD_POST_TYPES = [
    ("public_management", "文物保护巡查员", "001 §二(二)", "文物保护巡查"),
    ("public_management", "新时代文明实践站管理服务员", "001 §二(二)", "新时代文明实践站（所）管理服务"),
    ("public_management", "国土治理员", "001 §二(二)", "国土治理"),
    ("public_management", "护林员", "001 §二(二)", "护林绿化、森林防火"),
    ("public_management", "生态护林守护员", "000", "森林防火、封山育林"),
    ("public_management", "环境保护员", "001 §二(二)", "环境保护"),
    ("public_management", "森林防火员", "001 §二(二)", "森林防火"),
    ("public_management", "治安联防员", "001 §二(二)", "治安联防"),
    ("public_management", "安全应急员", "001 §二(二)", "安全应急"),
    ("public_management", "农村集体资产管理员", "001 §二(二)", "农村集体资产管理"),
    ("public_management", "河湖管理保障员", "000", "河道清理、警示牌维护"),
    ("public_management", "文明实践先锋员", "000", "组织文明实践特色活动"),
    ("public_management", "疫情防控守门员", "000", "卡口防护、物资配送、居家隔离人员服务"),
    ("public_service", "农技推广员", "001 §二(二)", "农技推广"),
    ("public_service", "村容保洁员", "001 §二(二)", "村容保洁"),
    ("public_service", "环境治理保洁员", "000", "公共区域、村巷道路日常环卫保洁"),
    ("public_service", "卫生防疫员", "001 §二(二)", "卫生防疫"),
    ("public_service", "场所建设服务员", "001 §二(二)", "场所建设"),
    ("public_service", "乡村社区公共服务员", "003 §二(一)1", "乡村社区公共服务"),
    ("public_service", "快递进村服务员", "003 §二(一)1", "“快递进村”服务"),
    ("social_undertaking", "养老护理员", "001 §二(二)", "养老护理"),
    ("social_undertaking", "助老员", "004", "居家养老服务、农村幸福院服务"),
    ("social_undertaking", "老年助餐服务员", "003 §二(一)1", "老年助餐等养老服务"),
    ("social_undertaking", "幼儿托管员", "001 §二(二)", "幼儿托管"),
    ("social_undertaking", "课后服务员", "001 §二(二)", "课后服务"),
    ("social_undertaking", "扶贫助残员", "001 §二(二)", "扶贫助残"),
    ("social_undertaking", "劳动保障协理员", "001 §二(二)", "劳动保障"),
    ("social_undertaking", "农村供水管理员", "001 §二(二)", "农村供水管理"),
    ("facility_maintenance", "公共文化设施管护员", "001 §二(二)", "公共文化设施等公共设施管护"),
    ("facility_maintenance", "农田基础设施管护员", "001 §二(二)", "农田基础设施管护"),
    ("facility_maintenance", "道路管护员", "001 §二(二)、003 §二(一)1", "道路管护、“四好农村路”管护"),
    ("facility_maintenance", "水利管护员", "001 §二(二)", "水利管护"),
    ("social_governance", "网格员", "001 §二(二)", "乡村网格员"),
    ("social_governance", "调解员", "001 §二(二)", "基层调解员"),
]


def load(apps, schema_editor):
    PostType = apps.get_model("posts", "PostType")
    existing = set(PostType.objects.filter(county=None).values_list("name", flat=True))
    PostType.objects.bulk_create(
        PostType(category=c, name=n, source=s, description=d)
        for c, n, s, d in STANDARD_POST_TYPES
        if n not in existing
    )


def unload(apps, schema_editor):
    PostType = apps.get_model("posts", "PostType")
    PostType.objects.filter(county=None, name__in=[n for _c, n, _s, _d in STANDARD_POST_TYPES]).delete()


class Migration(migrations.Migration):
    dependencies = [("posts", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
