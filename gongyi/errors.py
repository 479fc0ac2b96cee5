"""The one error type services raise; its message is shown to the user as it is."""

from dataclasses import dataclass


@dataclass(frozen=True)
class CellError:
    """A problem in an imported file: row as the user counts it (header is row 1), column name."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        from django.utils.translation import gettext as _

        return _("Row %(row)s, column %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


class DomainError(Exception):
    """``errors``: cells of an imported file; ``field_errors``: form field → message."""

    def __init__(
        self,
        message: str,
        *,
        errors: list[CellError] | None = None,
        field_errors: dict[str, str] | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.errors = errors or []
        self.field_errors = field_errors or {}

    def __str__(self) -> str:
        return self.message
