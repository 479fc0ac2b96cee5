from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from gongyi.errors import DomainError
from gongyi.services import region_import_csv

DEFAULT_CSV = Path(settings.BASE_DIR) / "gongyi" / "data" / "regions_370902.csv"


class Command(BaseCommand):
    help = "Load regions from a code,name,parent_code CSV, all rows or none. Safe to re-run."

    def add_arguments(self, parser):
        parser.add_argument("csv", nargs="?", default=str(DEFAULT_CSV))

    def handle(self, *args, **options):
        with translation.override("zh-hans"):
            path = Path(options["csv"])
            if not path.is_file():
                raise CommandError(_("File not found: %s") % path)
            try:
                result = region_import_csv(actor=None, data=path.read_bytes())
            except DomainError as exc:
                lines = [exc.message, *(str(e) for e in exc.errors)]
                raise CommandError("\n".join(lines)) from exc
            self.stdout.write(
                _("Regions: %(created)s created, %(updated)s renamed, %(unchanged)s unchanged.")
                % vars(result)
            )
