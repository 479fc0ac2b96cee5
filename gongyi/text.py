"""Text that people type or import: no control characters.

A control character (U+0000–U+001F, U+007F–U+009F) is invisible on a page, breaks the exports
(an .xlsx cannot hold most of them) and is never meant: it comes with text copied from another
program. Text input refuses it with a message the user can act on; a multi-line field (a
``TextField``: duties, notes) keeps tab, newline and carriage return.

One validator does it for every text field of the project's models (``protect_text_fields``, run
when the apps are ready): ModelForms run it in their model validation, ModelSerializers copy it
into their fields, and the Excel imports check their text cells with ``control_character_error``.
It is added to each field's ``default_validators``, which migrations do not record.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_CONTROL_BUT_LINES = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
#: Apps whose models' text fields are protected (third-party apps keep their own rules).
PROJECT_APPS = ("gongyi", "posts", "people", "onboarding", "subsidies", "audits")


def control_character_error(text: str, *, multiline: bool = False) -> str | None:
    """The message for ``text`` if it holds a control character (tab and line breaks allowed
    when ``multiline``), else None."""
    found = (_CONTROL_BUT_LINES if multiline else _CONTROL).search(text)
    if found is None:
        return None
    if found.group() in "\t\n\r":
        return _("Enter this on one line, without tabs or line breaks.")
    return _(
        "The text holds an invisible control character (U+%(code)04X), usually copied from "
        "another program. Type the text again or paste it as plain text."
    ) % {"code": ord(found.group())}


@deconstructible
class NoControlCharacters:
    """Validator: refuses text with a control character (``control_character_error``)."""

    code = "control_character"

    def __init__(self, multiline: bool = False):
        self.multiline = multiline

    def __call__(self, value) -> None:
        if isinstance(value, str):
            message = control_character_error(value, multiline=self.multiline)
            if message:
                raise ValidationError(message, code=self.code)

    def __eq__(self, other) -> bool:
        return isinstance(other, NoControlCharacters) and other.multiline == self.multiline


SINGLE_LINE = NoControlCharacters()
MULTI_LINE = NoControlCharacters(multiline=True)


def protect_text_fields(all_models) -> None:
    """Add the validator to every free-text field (CharField or TextField without choices) of
    the project's models in ``all_models``."""
    for model in all_models:
        if model._meta.app_label not in PROJECT_APPS:
            continue
        for field in model._meta.local_fields:
            if not isinstance(field, models.CharField | models.TextField) or field.choices:
                continue
            validator = MULTI_LINE if isinstance(field, models.TextField) else SINGLE_LINE
            if validator not in field.default_validators:
                field.default_validators = [*field.default_validators, validator]
                field.__dict__.pop("validators", None)  # a cached list made before this


def protect_plain_text_fields() -> None:
    """Text fields that are not a model's (a comment, a reason, a search box, in a form or an API
    serializer) refuse control characters too, tab and line breaks allowed: Django's and DRF's
    plain ``CharField`` get ``MULTI_LINE`` as their default validator (subclasses with validators
    of their own, e-mail or URL fields, keep theirs). A model's single-line field stays stricter
    through ``protect_text_fields``."""
    from django import forms
    from rest_framework import serializers

    for field_class in (forms.CharField, serializers.CharField):
        if MULTI_LINE not in field_class.default_validators:
            field_class.default_validators = [*field_class.default_validators, MULTI_LINE]
