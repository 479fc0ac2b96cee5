from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from gongyi.audit import audit_verify_chain


class Command(BaseCommand):
    help = "Recompute the audit trail's hash chain and report the first broken link."

    def handle(self, *args, **options):
        with translation.override("zh-hans"):
            report = audit_verify_chain()
            if not report.ok:
                raise CommandError(
                    _(
                        "Audit chain broken at entry %(seq)s: %(reason)s (%(checked)s entries intact)"
                    )
                    % {"seq": report.broken_seq, "reason": report.reason, "checked": report.checked}
                )
            self.stdout.write(_("Audit chain intact: %(n)s entries.") % {"n": report.checked})
