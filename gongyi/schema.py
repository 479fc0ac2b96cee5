"""The OpenAPI schema says what the API really answers, refusals included, so that a client
generated from it can read every answer: each operation lists the 4xx answers it can give
(``gongyi.apis.exception_handler`` and DRF shape them), beside its own success answer."""

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
        if self.method in WRITE_METHODS or self._is_list_view():
            defaults["400"] = INVALID
        if self.method in WRITE_METHODS:
            defaults["415"] = ERROR
        if "{" in self.path or self._is_list_view():
            defaults["404"] = NOT_FOUND
        for code, response in defaults.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(response, code, direction=direction)
        return responses
