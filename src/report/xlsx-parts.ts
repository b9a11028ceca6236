/**
 * The fixed parts of the annual report's XLSX (package, workbook, styles) and its rows' XML, in
 * the shape exceljs writes them (the report was first written with exceljs; the cells, styles and
 * column widths are unchanged). Style ids: 1 wrapped text (columns B and D of the summary), 2 bold
 * 13 pt (the title), 3 bold, 4 bold wrapped (the summary's header row), 5 `dd/mm/yyyy hh:mm`
 * (the detail sheet's three date columns).
 */

/** A cell: text, a date (a spreadsheet date: its UTC fields are the wall-clock time), null (an empty cell), or undefined (no cell). */
export type XlsxCell = string | Date | null | undefined;

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';
const SHEET_NS = '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x14ac" xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac">';
const SHEET_FORMAT = '<sheetFormatPr defaultRowHeight="15" outlineLevelRow="0" outlineLevelCol="0" x14ac:dyDescent="55"/>';
const MARGINS = '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>';
const STYLES = `${XML_HEAD}\n<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x14ac x16r2" xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac" xmlns:x16r2="http://schemas.microsoft.com/office/spreadsheetml/2015/02/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy hh:mm"/></numFmts><fonts count="3" x14ac:knownFonts="1"><font><color theme="1"/><family val="2"/><scheme val="minor"/><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="13"/></font><font><b/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="6"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles><dxfs count="0"/><tableStyles count="0" defaultTableStyle="TableStyleMedium2" defaultPivotStyle="PivotStyleLight16"/><extLst><ext uri="{EB79DEF2-80B8-43e5-95BD-54CBDDF9020C}" xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"><x14:slicerStyles defaultSlicerStyle="SlicerStyleLight1"/></ext><ext uri="{9260A510-F301-46a8-8635-F512D64BE5F5}" xmlns:x15="http://schemas.microsoft.com/office/spreadsheetml/2010/11/main"><x15:timelineStyles defaultTimelineStyle="TimeSlicerStyleLight1"/></ext></extLst></styleSheet>`;

/** Text as XML character data: markup escaped, characters XML forbids dropped. */
export function xmlText(text: string): string {
  // Most text has nothing to escape: a test is cheaper than a replace that copies the string.
  return NEEDS_ESCAPE.test(text) ? text.replace(ESCAPED, (c) => ENTITIES[c] ?? '') : text;
}

// eslint-disable-next-line no-control-regex -- dropping the control characters XML 1.0 forbids is the point
const ESCAPED = /[<>&'"\x7F\x00-\x08\x0B\x0C\x0E-\x1F]/g;
// eslint-disable-next-line no-control-regex -- the same set, without the global flag (a `test` with it would keep state)
const NEEDS_ESCAPE = /[<>&'"\x7F\x00-\x08\x0B\x0C\x0E-\x1F]/;

const ENTITIES: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' };

const COLUMN_LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** One `<c>`: text as an inline string, a date as its serial number (days since 1899-12-30); null only where the column has a style. */
function cell(ref: string, value: XlsxCell, style: number): string {
  const s = style > 0 ? ` s="${style}"` : '';
  if (value === null || value === undefined) return style > 0 && value === null ? `<c r="${ref}"${s}/>` : '';
  if (value instanceof Date) return `<c r="${ref}"${s}><v>${25569 + value.getTime() / 86_400_000}</v></c>`;
  return `<c r="${ref}"${s} t="str"><v>${xmlText(value)}</v></c>`;
}

/** One `<row>` (none when it has no cells); `styleOf(column index)` gives each cell's style, `rowStyle` the row's own. */
function row(r: number, cells: readonly XlsxCell[], styleOf: (i: number) => number, rowStyle = 0): string {
  let xml = '';
  let min = 0;
  let max = 0;
  cells.forEach((v, i) => {
    const c = cell(`${COLUMN_LETTERS[i]}${r}`, v, styleOf(i));
    if (c === '') return;
    xml += c;
    if (min === 0) min = i + 1;
    max = i + 1;
  });
  if (xml === '') return '';
  const s = rowStyle > 0 ? ` s="${rowStyle}" customFormat="1"` : '';
  return `<row r="${r}" spans="${min}:${max}"${s} x14ac:dyDescent="0.25">${xml}</row>`;
}

/** The detail sheet's date columns (E, F, G) carry style 5. */
const detailStyle = (i: number) => (i >= 4 && i <= 6 ? 5 : 0);

/** A row of the detail sheet ("Chi tiết"), 1-based `r`. */
export function xlsxRow(r: number, cells: readonly XlsxCell[]): string {
  return row(r, cells, detailStyle);
}

/**
 * A detail-sheet row of a listed inquiry, built in one template: text in A–D and H–I, dates E–G
 * as spreadsheet serials (null: an empty cell of the date style). The XML is that of
 * {@link xlsxRow} for the same cells, without a Date object and a cell array per row (at half a
 * million rows, that work was most of the report's time).
 */
export function detailInquiryRow(r: number, a: string, b: string, c: string, d: string, e: number, f: number | null, g: number | null, h: string, i: string): string {
  return `<row r="${r}" spans="1:9" x14ac:dyDescent="0.25"><c r="A${r}" t="str"><v>${xmlText(a)}</v></c><c r="B${r}" t="str"><v>${xmlText(b)}</v></c>`
    + `<c r="C${r}" t="str"><v>${xmlText(c)}</v></c><c r="D${r}" t="str"><v>${xmlText(d)}</v></c><c r="E${r}" s="5"><v>${e}</v></c>${dateCell('F', r, f)}${dateCell('G', r, g)}`
    + `<c r="H${r}" t="str"><v>${xmlText(h)}</v></c><c r="I${r}" t="str"><v>${xmlText(i)}</v></c></row>`;
}

function dateCell(column: string, r: number, serial: number | null): string {
  return serial === null ? `<c r="${column}${r}" s="5"/>` : `<c r="${column}${r}" s="5"><v>${serial}</v></c>`;
}

const DETAIL_HEADER = ['Chỉ tiêu / Figure', 'Mã / Code', 'Cơ quan / Agency', 'Loại / Kind', 'Thời điểm / When', 'Hạn / Due', 'Trả lời lúc / Replied at', 'Đúng hạn / On time', 'Nội dung (trích) / Subject (excerpt)'];

/** The detail sheet up to its first data row: columns (widths, the dates' style) and the header row. */
export function detailSheetStart(): string {
  const cols = '<cols><col min="1" max="1" width="16" customWidth="1"/><col min="2" max="2" width="10" customWidth="1"/><col min="3" max="3" width="28" customWidth="1"/><col min="4" max="4" width="18" customWidth="1"/><col min="5" max="7" width="17" style="5" customWidth="1"/><col min="8" max="8" width="10" customWidth="1"/><col min="9" max="9" width="60" customWidth="1"/></cols>';
  return `${XML_HEAD}${SHEET_NS}${SHEET_FORMAT}${cols}<sheetData>${xlsxRow(1, DETAIL_HEADER)}`;
}

/** The detail sheet after its last row. */
export function detailSheetEnd(): string {
  return `</sheetData>${MARGINS}<pageSetup orientation="portrait" horizontalDpi="4294967295" verticalDpi="4294967295" scale="100" fitToWidth="1" fitToHeight="1"/></worksheet>`;
}

/**
 * The summary sheet ("Báo cáo", A4 portrait, fitted to the page's width): `rows[0]` is the title
 * (bold 13 pt), `rows[5]` the table's header (bold); columns B and D wrap.
 */
export function summarySheet(rows: ReadonlyArray<{ cells: readonly XlsxCell[] }>): string {
  const cols = '<cols><col min="1" max="1" width="6" customWidth="1"/><col min="2" max="2" width="58" style="1" customWidth="1"/><col min="3" max="3" width="16" customWidth="1"/><col min="4" max="4" width="60" style="1" customWidth="1"/></cols>';
  const wrapped = (i: number) => (i === 1 || i === 3 ? 1 : 0);
  const body = rows.map((r, i) => {
    if (i === 0) return row(1, r.cells, () => 2, 2);
    if (i === 5) return row(6, r.cells, (c) => (wrapped(c) ? 4 : 3), 3);
    return row(i + 1, r.cells, wrapped);
  }).join('');
  return `${XML_HEAD}${SHEET_NS}<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>${SHEET_FORMAT}${cols}<sheetData>${body}</sheetData>${MARGINS}<pageSetup paperSize="9" orientation="portrait" horizontalDpi="4294967295" verticalDpi="4294967295" scale="100" fitToWidth="1" fitToHeight="1"/></worksheet>`;
}

/** The package's fixed parts (content types, relationships, workbook, styles, document properties) for `sheets` (sheet n is `xl/worksheets/sheet<n>.xml`). */
export function packageParts(o: { creator: string; at: Date; sheets: readonly string[] }): Array<[string, string]> {
  const when = `${o.at.toISOString().slice(0, 19)}Z`;
  const sheetTypes = o.sheets.map((_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join('');
  const rel = (id: string, type: string, target: string) => `<Relationship Id="${id}" Type="${type}" Target="${target}"/>`;
  const OD = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  return [
    ['[Content_Types].xml', `${XML_HEAD}\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>${sheetTypes}<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>`],
    ['_rels/.rels', `${XML_HEAD}\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rel('rId1', `${OD}/officeDocument`, 'xl/workbook.xml')}${rel('rId2', 'http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties', 'docProps/core.xml')}${rel('rId3', `${OD}/extended-properties`, 'docProps/app.xml')}</Relationships>`],
    ['docProps/app.xml', `${XML_HEAD}\n<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Application>Microsoft Excel</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop><HeadingPairs><vt:vector size="2" baseType="variant"><vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant><vt:variant><vt:i4>${o.sheets.length}</vt:i4></vt:variant></vt:vector></HeadingPairs><TitlesOfParts><vt:vector size="${o.sheets.length}" baseType="lpstr">${o.sheets.map((n) => `<vt:lpstr>${xmlText(n)}</vt:lpstr>`).join('')}</vt:vector></TitlesOfParts><Company></Company><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged><AppVersion>16.0300</AppVersion></Properties>`],
    ['docProps/core.xml', `${XML_HEAD}\n<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>${xmlText(o.creator)}</dc:creator><cp:lastModifiedBy>${xmlText(o.creator)}</cp:lastModifiedBy><dcterms:created xsi:type="dcterms:W3CDTF">${when}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${when}</dcterms:modified></cp:coreProperties>`],
    ['xl/_rels/workbook.xml.rels', `${XML_HEAD}\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rel('rId1', `${OD}/styles`, 'styles.xml')}${o.sheets.map((_, i) => rel(`rId${i + 3}`, `${OD}/worksheet`, `worksheets/sheet${i + 1}.xml`)).join('')}</Relationships>`],
    ['xl/workbook.xml', `${XML_HEAD}\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="${OD}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x15" xmlns:x15="http://schemas.microsoft.com/office/spreadsheetml/2010/11/main"><fileVersion appName="xl" lastEdited="5" lowestEdited="5" rupBuild="9303"/><workbookPr defaultThemeVersion="164011" filterPrivacy="1"/><sheets>${o.sheets.map((n, i) => `<sheet sheetId="${i + 1}" name="${xmlText(n)}" state="visible" r:id="rId${i + 3}"/>`).join('')}</sheets><calcPr calcId="171027"/></workbook>`],
    ['xl/styles.xml', STYLES],
  ];
}
