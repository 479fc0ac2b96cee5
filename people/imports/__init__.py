"""Importing a roster from Excel: check the whole file first, then import the good rows or nothing.

Set-based: the townships and villages of the area and the county's target groups are read once
per file, each row is checked in memory with the rules the forms use (``person_errors``), the ID
numbers already in the registry are looked up in chunks across the whole database (the ID number
is unique everywhere), and the good rows, their target groups and their audit entries go in with
COPY in one transaction, as plain tuples (no model instance per row). The check job keeps the
checked rows with the file (``checked_payload``); the commit job writes them without reading the
file again when nothing they were checked against has changed (the areas, the target groups,
the row limit, the day: ``CheckResult.fingerprint``), and looks up their ID numbers again in any
case; otherwise it checks the file again from the start. django-import-export's default import
(``people.resources.PersonResource``) runs queries for every row; bench ``people_import``
measures both.

``check`` reads and checks the rows, ``payload`` keeps the check's result with the file,
``commit`` writes the good rows with COPY, ``jobs`` runs the two as background jobs.
"""

from people.imports.check import STORED, Lookups, PersonRow, person_import_check
from people.imports.commit import person_import_commit
from people.imports.jobs import run_import_check, run_import_commit
from people.imports.payload import person_import_checked_payload

__all__ = [
    "STORED",
    "Lookups",
    "PersonRow",
    "person_import_check",
    "person_import_checked_payload",
    "person_import_commit",
    "run_import_check",
    "run_import_commit",
]
