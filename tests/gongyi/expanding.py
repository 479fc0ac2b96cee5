"""A small .xlsx file whose shared strings unpack to many megabytes (a "zip bomb")."""

import io
import struct
import zipfile

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
PKG = "http://schemas.openxmlformats.org/package/2006"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XML = '<?xml version="1.0" encoding="UTF-8"?>'
PARTS = {
    "[Content_Types].xml": f'{XML}<Types xmlns="{PKG}/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships'
    '+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    "_rels/.rels": f'{XML}<Relationships xmlns="{PKG}/relationships">'
    f'<Relationship Id="rId1" Type="{OFFICE}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>",
    "xl/workbook.xml": f'{XML}<workbook xmlns="{MAIN}" xmlns:r="{OFFICE}">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": f'{XML}<Relationships xmlns="{PKG}/relationships">'
    f'<Relationship Id="rId1" Type="{OFFICE}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{OFFICE}/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>",
    "xl/worksheets/sheet1.xml": f'{XML}<worksheet xmlns="{MAIN}"><dimension ref="A1:B2"/>'
    '<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
    '<row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2" t="s"><v>0</v></c></row></sheetData>'
    "</worksheet>",
}


def expanding_xlsx(expanded: int, *, declared: int | None = None) -> bytes:
    """A workbook whose xl/sharedStrings.xml unpacks to ``expanded`` bytes (one long string);
    with ``declared``, the zip's headers say it unpacks to that instead."""
    head = f'{XML}<sst xmlns="{MAIN}" count="4" uniqueCount="2"><si><t>甲</t></si><si><t>'
    head, tail = head.encode(), b"</t></si></sst>"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in PARTS.items():
            zf.writestr(name, text)
        with zf.open("xl/sharedStrings.xml", "w") as part:
            part.write(head)
            left, chunk = expanded - len(head) - len(tail), b"x" * (1 << 20)
            while left > 0:
                part.write(chunk[:left])
                left -= len(chunk)
            part.write(tail)
    data = out.getvalue()
    if declared is None:
        return data
    lied = bytearray(data)
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("xl/sharedStrings.xml")
    struct.pack_into("<I", lied, info.header_offset + 22, declared)  # the local header
    at = lied.find(b"PK\x01\x02")
    while at != -1:  # the central directory's entry
        length = struct.unpack_from("<H", lied, at + 28)[0]
        if lied[at + 46 : at + 46 + length] == b"xl/sharedStrings.xml":
            struct.pack_into("<I", lied, at + 24, declared)
        at = lied.find(b"PK\x01\x02", at + 4)
    return bytes(lied)
