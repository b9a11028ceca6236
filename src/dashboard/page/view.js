// Renders the server's table models (the same ones the CSV and XLSX exports carry) and charts.

const OFFSET_MS = 7 * 3600 * 1000;
const { document } = globalThis;

/** A cell's text by its kind, in the page's language. */
export function formatCell(value, kind, lang) {
  if (value === null || value === undefined || value === '') return '–';
  if (kind === 'pct') return `${(value * 100).toLocaleString(lang === 'en' ? 'en-GB' : 'vi-VN', { maximumFractionDigits: 1 })} %`;
  if (kind === 'minutes') return `${(value / 60).toLocaleString(lang === 'en' ? 'en-GB' : 'vi-VN', { maximumFractionDigits: 1 })} ${lang === 'en' ? 'h' : 'giờ'}`;
  if (kind === 'datetime') {
    const d = new Date(Date.parse(value) + OFFSET_MS).toISOString();
    return `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)} ${d.slice(11, 16)}`;
  }
  if (typeof value === 'number') return value.toLocaleString(lang === 'en' ? 'en-GB' : 'vi-VN', { maximumFractionDigits: 2 });
  return String(value);
}

const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'text') node.textContent = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children) if (c) node.append(c);
  return node;
};
export { el };

/**
 * A table: caption, headers (sortable when `sortable`), cells formatted by kind; `link(column, row)`
 * may return a click handler that makes the cell a link (an agency's inquiries, an inquiry's thread).
 */
export function renderTable(table, lang, opts = {}) {
  const state = { key: null, dir: 1 };
  // A wide table scrolls inside its box on a phone: the box is focusable, so keyboards can scroll it too.
  const box = el('div', { class: 'table-box', tabindex: '0', role: 'region', 'aria-label': `${lang === 'en' ? 'Table' : 'Bảng'}: ${lang === 'en' ? table.en : table.vi}` });
  const draw = () => {
    const rows = [...table.rows];
    if (state.key) {
      const num = (v) => (v === null || v === undefined ? -Infinity : v);
      rows.sort((a, b) => {
        const x = a[state.key];
        const y = b[state.key];
        return (typeof x === 'number' || typeof y === 'number' ? num(x) - num(y) : String(x ?? '').localeCompare(String(y ?? ''), 'vi')) * state.dir;
      });
    }
    const head = el('tr', {}, ...table.columns.map((c) => {
      const label = lang === 'en' ? c.en : c.vi;
      const numeric = c.kind !== 'text' && c.kind !== 'datetime';
      if (!opts.sortable) return el('th', { scope: 'col', class: numeric ? 'num' : '' , text: label });
      const sort = state.key === c.key ? (state.dir > 0 ? 'ascending' : 'descending') : 'none';
      return el('th', { scope: 'col', class: numeric ? 'num' : '', 'aria-sort': sort },
        el('button', { type: 'button', class: 'sort', text: label, onclick: () => { state.dir = state.key === c.key ? -state.dir : 1; state.key = c.key; draw(); } }));
    }));
    const body = rows.map((row) => el('tr', opts.rowClass ? { class: opts.rowClass(row) } : {}, ...table.columns.map((c) => {
      const kind = c.kind !== 'text' && c.kind !== 'datetime' && typeof row.kind === 'string' ? row.kind : c.kind;
      const text = formatCell(row[c.key], kind, lang);
      const numeric = kind !== 'text' && kind !== 'datetime';
      const go = opts.link?.(c, row);
      const content = go ? el('a', { href: '#', class: 'code', text, onclick: (e) => { e.preventDefault(); go(); } }) : text;
      return el('td', { class: numeric ? 'num' : '' }, content);
    })));
    box.replaceChildren(el('table', {}, el('caption', { text: lang === 'en' ? table.en : table.vi }), el('thead', {}, head), el('tbody', {}, ...body)));
  };
  draw();
  return box;
}

/** A Chart.js chart (the library is served by the bot itself); the table under it carries the same numbers. */
export function renderChart(kind, labels, datasets, label) {
  const canvas = el('canvas', { role: 'img', 'aria-label': label });
  const box = el('div', { class: 'chart' }, canvas);
  if (typeof globalThis.Chart === 'function') {
    return Object.assign(box, { chart: new globalThis.Chart(canvas, { type: kind, data: { labels, datasets }, options: { responsive: true, maintainAspectRatio: false, animation: false, scales: datasets.some((d) => d.yAxisID === 'rate') ? { rate: { position: 'right', min: 0, max: 100 } } : {} } }) });
  }
  return box;
}
