"""The catalogue's Excel import: upload, the check's result, import (``gongyi.import_views``),
and the empty template."""

from __future__ import annotations

from django.views import View

from gongyi.excel import xlsx_response
from gongyi.import_views import ImportCommitView, ImportJobView, ImportUploadView
from gongyi.roles import RoleRequiredMixin
from posts import exports, selectors
from posts.roles import IMPORT_POSTS


class _PostImport:
    """The catalogue import: who may, its two jobs (``posts.imports``), its URL names."""

    allowed_roles = IMPORT_POSTS
    check_kind, commit_kind = "posts.import_check", "posts.import_commit"
    url_name = "post-import"


class PostImportView(_PostImport, ImportUploadView):
    template_name = "posts/import.html"


class PostImportTemplateView(RoleRequiredMixin, View):
    """The empty template, made by the resource, with a sheet explaining the columns."""

    allowed_roles = IMPORT_POSTS

    def get(self, request):
        title, sheets = exports.post_import_template(selectors.post_types_for(request.user))
        return xlsx_response(f"{title}.xlsx", sheets)


class PostImportJobView(_PostImport, ImportJobView):
    template_name = "posts/import_job.html"


class PostImportCommitView(_PostImport, ImportCommitView):
    pass
