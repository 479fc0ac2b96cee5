"""The demo county: 泰山区 with one user of each role. Re-running it changes nothing.

Later apps add their demo data here, each in its own idempotent step.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from gongyi.demo import DEMO_STEPS
from gongyi.enums import Department, RegionLevel, Role
from gongyi.models import Region, User
from gongyi.services import user_create

DEMO_COUNTY = "370902"
DEFAULT_PASSWORD = "gongyi-demo"


def demo_accounts(county: Region) -> list[dict]:
    """Every demo login: the county, each township's clerk, each village, each department."""
    regions = Region.objects.filter(code__startswith=county.code).order_by("code")
    accounts = [
        {"username": "admin", "role": Role.ADMIN, "region": county, "name": "系统管理员"},
        {"username": "county", "role": Role.COUNTY, "region": county, "name": "人社局经办"},
        {"username": "finance", "role": Role.FINANCE, "region": county, "name": "财政局经办"},
    ]
    for region in regions:
        if region.level == RegionLevel.TOWNSHIP:
            accounts.append(
                {
                    "username": f"clerk_{region.code}",
                    "role": Role.CLERK,
                    "region": region,
                    "name": f"{region.name}经办人",
                }
            )
        elif region.level == RegionLevel.VILLAGE:
            accounts.append(
                {
                    "username": f"village_{region.code}",
                    "role": Role.VILLAGE,
                    "region": region,
                    "name": f"{region.name}村(居)委会",
                }
            )
    for department in Department:
        accounts.append(
            {
                "username": f"reviewer_{department.value}",
                "role": Role.REVIEWER,
                "region": county,
                "department": department.value,
                "name": f"{department.label}审查员",
            }
        )
    return accounts


class Command(BaseCommand):
    help = "Create the demo county (泰山区) and one user of each role. Safe to re-run."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=DEFAULT_PASSWORD)
        for step in DEMO_STEPS:
            if step.add_arguments:
                step.add_arguments(parser)

    def handle(self, *args, **options):
        with translation.override("zh-hans"):
            call_command("load_regions", stdout=self.stdout)
            county = Region.objects.get(code=DEMO_COUNTY)
            existing = set(User.objects.values_list("username", flat=True))
            accounts = demo_accounts(county)
            created = 0
            with transaction.atomic():
                for account in accounts:
                    if account["username"] in existing:
                        continue
                    user_create(
                        actor=None, password=options["password"], check_password=False, **account
                    )
                    created += 1
            self.stdout.write(
                _("Demo users: %(created)s created, %(kept)s already there.")
                % {
                    "created": created,
                    "kept": len(accounts) - created,
                }
            )
            for step in DEMO_STEPS:
                step.run(county=county, options=options, stdout=self.stdout)
            self.stdout.write(
                _(
                    "Log in at http://127.0.0.1:8000/ as county, clerk_370902001, "
                    "village_370902001001, reviewer_civil_affairs, finance or admin; password: %(pw)s"
                )
                % {"pw": options["password"]}
            )
