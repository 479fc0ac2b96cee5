"""Every write to the person registry. Each runs in one transaction and puts its change on the
audit trail; refusals are ``DomainError`` with the message shown as it is (STYLE.md).

By concern: ``checks`` (the checks that need no query and the values stored), ``files`` (opening
and changing a file), ``groups`` (target groups and memberships), ``records`` (relative
declarations and documents).
"""

from people.services.checks import PERSON_FIELDS, person_errors
from people.services.files import Existing, person_create, person_existing, person_update
from people.services.groups import (
    group_code_for,
    membership_add,
    membership_remove,
    target_group_create,
)
from people.services.records import (
    DOCUMENT_TYPES,
    MAX_DOCUMENT_BYTES,
    declaration_add,
    declaration_withdraw,
    document_add,
)

__all__ = [
    "DOCUMENT_TYPES",
    "MAX_DOCUMENT_BYTES",
    "PERSON_FIELDS",
    "Existing",
    "declaration_add",
    "declaration_withdraw",
    "document_add",
    "group_code_for",
    "membership_add",
    "membership_remove",
    "person_create",
    "person_errors",
    "person_existing",
    "person_update",
    "target_group_create",
]
