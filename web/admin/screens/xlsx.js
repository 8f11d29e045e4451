// Reads the first worksheet of an Excel workbook (.xlsx) in the browser and
// turns it into CSV text, which the server then checks exactly like a CSV
// file (POST …/products/import). Why here and not on the server: an .xlsx is
// a zip of XML, and unzipping and XML-parsing untrusted files inside the
// process that holds the tenants' keys adds zip-bomb and XML-entity attack
// surface for no gain; the browser already ships both a sandboxed inflater
// (DecompressionStream 'deflate-raw') and an XML parser that never fetches
// entities (DOMParser), so no third-party code is needed (docs/console.md).
// Limits: the file, each unpacked part and the rows and columns read.
const LIMITS = { fileBytes: 5 << 20, partBytes: 20 << 20, rows: 2000, cols: 32 };

export class XlsxError extends Error {}

function u16(b, o) { return b[o] | (b[o + 1] << 8); }
function u32(b, o) { return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16)) + b[o + 3] * 0x1000000; }

// The zip's central directory: name → {method, offset, compressed, size}.
function directory(b) {
  let eocd = -1;
  for (let i = b.length - 22; i >= Math.max(0, b.length - 22 - 65535); i--) {
    if (u32(b, i) === 0x06054b50) { eocd = i; break; }
  }
  if (eocd < 0) throw new XlsxError('not a zip');
  const count = u16(b, eocd + 10);
  let p = u32(b, eocd + 16);
  const entries = new Map();
  for (let k = 0; k < count; k++) {
    if (p + 46 > b.length || u32(b, p) !== 0x02014b50) throw new XlsxError('bad central directory');
    const nameLen = u16(b, p + 28), extraLen = u16(b, p + 30), commentLen = u16(b, p + 32);
    const name = new TextDecoder().decode(b.subarray(p + 46, p + 46 + nameLen));
    entries.set(name, { method: u16(b, p + 10), compressed: u32(b, p + 20), size: u32(b, p + 24), offset: u32(b, p + 42) });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

async function inflateRaw(bytes, limit) {
  const reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw')).getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > limit) { await reader.cancel(); throw new XlsxError('part too large'); }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) { out.set(c, o); o += c.length; }
  return out;
}

async function part(b, entries, name) {
  const e = entries.get(name);
  if (!e) return null;
  if (e.offset + 30 > b.length || u32(b, e.offset) !== 0x04034b50) throw new XlsxError('bad local header');
  const start = e.offset + 30 + u16(b, e.offset + 26) + u16(b, e.offset + 28);
  const data = b.subarray(start, start + e.compressed);
  if (data.length !== e.compressed) throw new XlsxError('truncated');
  let raw;
  if (e.method === 0) raw = data;
  else if (e.method === 8) raw = await inflateRaw(data, LIMITS.partBytes);
  else throw new XlsxError('unsupported compression');
  if (raw.length > LIMITS.partBytes) throw new XlsxError('part too large');
  const doc = new DOMParser().parseFromString(new TextDecoder().decode(raw), 'application/xml');
  if (doc.getElementsByTagName('parsererror').length) throw new XlsxError(`bad XML in ${name}`);
  return doc;
}

const byLocal = (node, name) => Array.from(node.getElementsByTagNameNS('*', name));

// Text of a shared string or inline string, without the furigana runs
// (<rPh>) that Japanese Excel stores beside the text.
function stringText(si) {
  return byLocal(si, 't').filter((t) => t.parentNode.localName !== 'rPh').map((t) => t.textContent).join('');
}

function colIndex(ref) {
  let n = 0;
  for (const ch of (ref.match(/^[A-Z]+/) || [''])[0]) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

// The first worksheet as rows of strings.
export async function readXlsxRows(file) {
  if (file.size > LIMITS.fileBytes) throw new XlsxError('file too large');
  const b = new Uint8Array(await file.arrayBuffer());
  const entries = directory(b);
  const workbook = await part(b, entries, 'xl/workbook.xml');
  const rels = await part(b, entries, 'xl/_rels/workbook.xml.rels');
  if (!workbook || !rels) throw new XlsxError('not a workbook');
  const sheet = byLocal(workbook, 'sheet')[0];
  const rid = sheet && (sheet.getAttribute('r:id') || sheet.getAttributeNS('http://schemas.openxmlformats.org/officeDocument/2006/relationships', 'id'));
  const rel = byLocal(rels, 'Relationship').find((r) => r.getAttribute('Id') === rid);
  if (!rel) throw new XlsxError('no worksheet');
  const target = rel.getAttribute('Target').replace(/^\/?(xl\/)?/, '');
  const ws = await part(b, entries, `xl/${target}`);
  if (!ws) throw new XlsxError('no worksheet');
  const sst = await part(b, entries, 'xl/sharedStrings.xml');
  const strings = sst ? byLocal(sst, 'si').map(stringText) : [];
  const rows = [];
  for (const row of byLocal(ws, 'row')) {
    if (rows.length >= LIMITS.rows) throw new XlsxError('too many rows');
    const cells = [];
    for (const c of byLocal(row, 'c')) {
      const i = c.hasAttribute('r') ? colIndex(c.getAttribute('r')) : cells.length;
      if (i < 0 || i >= LIMITS.cols) continue;
      const type = c.getAttribute('t');
      const v = byLocal(c, 'v')[0]?.textContent ?? '';
      let text;
      if (type === 's') text = strings[Number(v)] ?? '';
      else if (type === 'inlineStr') text = stringText(c);
      else if (type === 'b') text = v === '1' ? 'TRUE' : 'FALSE';
      else text = v; // numbers, cached formula results, errors as Excel wrote them
      while (cells.length < i) cells.push('');
      cells[i] = text;
    }
    const r = Number(row.getAttribute('r')) || rows.length + 1;
    if (r > LIMITS.rows) throw new XlsxError('too many rows');
    while (rows.length < r - 1) rows.push([]); // keep line numbers as Excel shows them
    rows.push(cells);
  }
  return rows;
}

export function rowsToCsv(rows) {
  const q = (s) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return rows.map((r) => r.map(q).join(',')).join('\r\n') + '\r\n';
}
