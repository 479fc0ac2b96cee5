from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Wrong user name or password. Both are case-sensitive."),
        "inactive": _("This account has been disabled. Ask the county HR bureau."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("User name")
        self.fields["password"].label = _("Password")
        self.fields["username"].widget = forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}
        )


def form_refused(form, exc) -> None:
    """Show a service's refusal (``DomainError``) on the form: on its fields where it names
    them, above the form otherwise."""
    if exc.field_errors:
        for name, message in exc.field_errors.items():
            form.add_error(name if name in form.fields else None, message)
    else:
        form.add_error(None, exc.message)


class ImportForm(forms.Form):
    """The upload of an Excel import (``gongyi.import_views``)."""

    file = forms.FileField(label=_("Excel file (.xlsx)"))
