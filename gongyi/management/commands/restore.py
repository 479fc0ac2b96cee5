from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from gongyi.backup import backup_restore
from gongyi.errors import DomainError


class Command(BaseCommand):
    help = (
        "Restore a backup folder into an empty database and an empty media folder, then verify"
        " the audit chain there. See docs/operations.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path, help="the backup folder")
        parser.add_argument(
            "--database-url", help="the empty target database (default: DATABASE_URL)"
        )
        parser.add_argument(
            "--media-root", type=Path, help="the empty target folder (default: MEDIA_ROOT)"
        )

    def handle(self, *args, source, database_url, media_root, **options):
        with translation.override("zh-hans"):
            try:
                report = backup_restore(
                    source=source, database_url=database_url, media_root=media_root
                )
            except DomainError as exc:
                raise CommandError(exc.message) from None
            self.stdout.write(
                _(
                    "Restored into %(db)s: %(files)s files in %(media)s; audit chain intact,"
                    " %(n)s entries."
                )
                % {
                    "db": report.database,
                    "files": report.files,
                    "media": report.media_root,
                    "n": report.audit_entries,
                }
            )
