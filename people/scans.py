"""Uploaded scans (a person's documents, a meeting's minutes): what a file is, told by its
first bytes and never by the name or type the browser gives, and the name it is stored under,
random and with the extension of that type, so that nothing stored is taken for another kind
of file, and no uploaded name (which may hold a person's name or ID number) reaches the disk."""

import uuid

MAX_SCAN_BYTES = 10 * 1024 * 1024

#: A scan's first bytes → its content type.
SCAN_TYPES = {
    b"%PDF": "application/pdf",
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG": "image/png",
}
#: Content type → the extension the file is stored under.
EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


def scan_type(upload) -> str | None:
    """The content type of a scan by its first bytes; ``None`` when it is none of the three.
    Leaves the file at its start."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    return next((t for magic, t in SCAN_TYPES.items() if head.startswith(magic)), None)


def scan_name(content_type: str) -> str:
    """A random file name with the extension of ``content_type``."""
    return f"{uuid.uuid4().hex}.{EXTENSIONS.get(content_type, 'bin')}"
