from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from gongyi.backup import backup_create
from gongyi.errors import DomainError


class Command(BaseCommand):
    help = (
        "Write a backup folder (pg_dump custom format, a tar of the uploaded files, a manifest)"
        " under DIRECTORY. See docs/operations.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="where the backup folder is created")

    def handle(self, *args, directory, **options):
        with translation.override("zh-hans"):
            try:
                path = backup_create(directory=directory)
            except DomainError as exc:
                raise CommandError(exc.message) from None
            self.stdout.write(_("Backup written: %(path)s") % {"path": path})
