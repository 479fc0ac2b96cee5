"""What the township's pages share: a refusal shown as messages, a form's errors, and a form
validated and handed to a service."""

from __future__ import annotations

from django.contrib import messages

from gongyi.errors import DomainError


def refused(request, exc: DomainError) -> None:
    """The refusal, and for a refused bulk move each application's reason."""
    messages.error(request, exc.message)
    lines = getattr(exc, "lines", [])
    for line in lines[:50] if len(lines) > 1 else []:
        messages.error(request, line)


def form_errors(request, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def run(request, form, action, success: str) -> None:
    """Validate ``form``, call the service with its data, and say how it went."""
    if not form.is_valid():
        form_errors(request, form)
        return
    try:
        action(form.cleaned_data)
        messages.success(request, success)
    except DomainError as exc:
        refused(request, exc)
