"""The demo's Excel workbooks, written as Excel writes a one-sheet export, in a tenth of XlsxWriter's CPU.

XlsxWriter builds every cell as an object and then writes it out: 6 microseconds a cell, 4.6 of
the 5.4 CPU seconds the demo's 458 files took to write, on the first start's critical path.
Here the sheet is joined as text in one pass (shared strings, real date and number cells, the
styles and parts XlsxWriter writes, zip entries dated 1980-01-01), so the same seed still gives
byte-identical files, and every cell reads back as XlsxWriter's did (tests/test_demo.py).

Only what the demo writes: one sheet, a header row of texts, then texts, numbers, booleans (as
the texts given) and dates (not date-times); None leaves the cell empty. Downloads and the template keep
XlsxWriter (dashboard/xlsxout.py, dashboard/template.py), which guards against formulas and links.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path

from xlsxwriter.utility import xl_col_to_name

_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument"

_CONTENT_TYPES = (
    _XML + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/docProps/app.xml" ContentType="{_CT}.extended-properties+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.spreadsheetml.styles+xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.spreadsheetml.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_CT}.spreadsheetml.worksheet+xml"/>'
    f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_CT}.spreadsheetml.sharedStrings+xml"/></Types>'
)
_ROOT_RELS = (
    _XML + f'<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    f'<Relationship Id="rId2" Type="{_PKG_REL}/metadata/core-properties" Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{_REL}/extended-properties" Target="docProps/app.xml"/></Relationships>'
)
_WORKBOOK_RELS = (
    _XML + f'<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/>'
    f'<Relationship Id="rId3" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)
# Style 0 is the default, style 1 a date shown as dd-mm-yyyy (number format 164, as XlsxWriter).
_STYLES = (
    _XML + f'<styleSheet xmlns="{_MAIN}"><numFmts count="1"><numFmt numFmtId="164" formatCode="dd-mm-yyyy"/></numFmts>'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles><dxfs count="0"/>'
    '<tableStyles count="0" defaultTableStyle="TableStyleMedium9" defaultPivotStyle="PivotStyleLight16"/></styleSheet>'
)

# A control character (XML 1.0 cannot hold it; a carriage return would read back as a line feed),
# or a text Excel would read as such an escape: written _xHHHH_, as XlsxWriter does.
_UNWRITABLE = re.compile(r"[\x00-\x08\x0b-\x1f]|_x[0-9A-Fa-f]{4}_")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_PRESERVE = ' xml:space="preserve"'  # a text with blanks at its start or end keeps them


def _escape(text: str) -> str:
    if _UNWRITABLE.search(text):
        text = _UNWRITABLE.sub(lambda m: "_x005F" + m.group() if len(m.group()) > 1 else f"_x{ord(m.group()):04X}_", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def write_workbook(path: Path, sheet_name: str, header: Sequence[str], rows: Sequence[Sequence[object]],
                   created: dt.datetime, texts: tuple[str, str] = ("true", "false")) -> None:
    """Write ``rows`` under ``header`` as the one sheet ``sheet_name``; a boolean as ``texts``
    (true, false), a date as a date cell, a number as a number cell, None as no cell."""
    letters = [xl_col_to_name(i) for i in range(len(header))]
    strings: dict[str, int] = {}
    count = 0
    parts = []
    last_row = 0
    for r, values in enumerate([header, *rows], start=1):
        cells = []
        for letter, value in zip(letters, values):
            if value is None:
                continue
            if value is True or value is False:
                value = texts[0] if value else texts[1]
            if isinstance(value, str):
                index = strings.setdefault(value, len(strings))
                count += 1
                cells.append(f'<c r="{letter}{r}" t="s"><v>{index}</v></c>')
            elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
                # Excel's day number (1900 system; the demo's dates all lie after its false leap day).
                cells.append(f'<c r="{letter}{r}" s="1"><v>{(value - _EXCEL_EPOCH).days}</v></c>')
            elif isinstance(value, (int, float)):
                cells.append(f'<c r="{letter}{r}"><v>{value:.16G}</v></c>')
            else:
                raise TypeError(f"geen celwaarde: {type(value).__name__}")
        if cells:
            last_row = r
            parts.append(f'<row r="{r}">{"".join(cells)}</row>')
    dimension = f"A1:{letters[-1]}{last_row}" if letters and last_row else "A1"
    sheet = (_XML + f'<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}"><dimension ref="{dimension}"/>'
             '<sheetViews><sheetView tabSelected="1" workbookViewId="0"/></sheetViews>'
             f'<sheetFormatPr defaultRowHeight="15"/><sheetData>{"".join(parts)}</sheetData>'
             '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>')
    shared = (_XML + f'<sst xmlns="{_MAIN}" count="{count}" uniqueCount="{len(strings)}">'
              + "".join(f"<si><t{_PRESERVE if s != s.strip() else ''}>{_escape(s)}</t></si>" for s in strings)
              + "</sst>")
    name = _escape(sheet_name).replace('"', "&quot;")
    workbook = (_XML + f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><bookViews><workbookView/></bookViews>'
                f'<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets>'
                '<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>')
    stamp = created.strftime("%Y-%m-%dT%H:%M:%SZ")
    core = (_XML + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified></cp:coreProperties>')
    app = (_XML + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
           'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
           "<Application>Microsoft Excel</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
           '<HeadingPairs><vt:vector size="2" baseType="variant"><vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant>'
           '<vt:variant><vt:i4>1</vt:i4></vt:variant></vt:vector></HeadingPairs>'
           f'<TitlesOfParts><vt:vector size="1" baseType="lpstr"><vt:lpstr>{_escape(sheet_name)}</vt:lpstr></vt:vector>'
           "</TitlesOfParts><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
           "<HyperlinksChanged>false</HyperlinksChanged><AppVersion>12.0000</AppVersion></Properties>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for part, text in (("[Content_Types].xml", _CONTENT_TYPES), ("_rels/.rels", _ROOT_RELS),
                           ("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS), ("xl/worksheets/sheet1.xml", sheet),
                           ("xl/workbook.xml", workbook), ("xl/sharedStrings.xml", shared), ("xl/styles.xml", _STYLES),
                           ("docProps/core.xml", core), ("docProps/app.xml", app)):
            info = zipfile.ZipInfo(part, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text.encode("utf-8"))
