"""The OpenAPI schema says what the API really answers, refusals included, so that a client
generated from it can read every answer: each operation lists the 4xx answers it can give
(``gongyi.apis.exception_handler`` and DRF shape them), beside its own success answer."""

import copy

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    """A refusal: why, in the user's language."""

    detail = serializers.CharField()


#: A refused request body or query: ``detail`` and/or, for each field at fault, its messages.
INVALID = OpenApiResponse(
    response=OpenApiTypes.OBJECT,
    description="the request was refused: `detail` says why, and/or each field names its errors",
)
ERROR = OpenApiResponse(response=ErrorSerializer, description="refused, `detail` says why")
NOT_FOUND = OpenApiResponse(
    response=ErrorSerializer, description="not found, or outside the caller's area"
)

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH"})


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema, with the refusals every operation can answer: 401 and 403
    (no or a dead token, a role that may not), 404 (a path's object outside the area, or a page
    past the end), 400 (a refused body or query) and 415 (a body that is not JSON)."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        defaults = {}
        auths = self.get_auth()
        if auths and {} not in auths:
            defaults |= {"401": ERROR, "403": ERROR}
        if self.method in WRITE_METHODS or self._is_list_view() or self._has_query():
            defaults["400"] = INVALID
        if self.method in WRITE_METHODS:
            defaults["415"] = ERROR
        if "{" in self.path or self._is_list_view():
            defaults["404"] = NOT_FOUND
        for code, response in defaults.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(response, code, direction=direction)
        return responses

    def _has_query(self) -> bool:
        return any(p.get("in") == "query" for p in self._get_parameters())

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        # DRF drops ``allow_blank`` from a model's read-only choice field, yet the value read
        # can be blank (a state not reached yet, a kind not chosen yet): say so.
        if (
            isinstance(field, serializers.ChoiceField)
            and field.read_only
            and not field.allow_blank
            and _model_field_is_blank(field)
        ):
            field = copy.copy(field)
            field.allow_blank = True
        return super()._map_serializer_field(field, direction, bypass_extensions)


def _model_field_is_blank(field) -> bool:
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    if model is None or not field.source or "." in field.source:
        return False
    try:
        return bool(model._meta.get_field(field.source).blank)
    except FieldDoesNotExist:
        return False
