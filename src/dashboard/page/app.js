// The leaders' dashboard. Its API lives under the web sign-in slot's API path (the slot's session
// cookie is scoped there): /dashboard → /web/api/dashboard, /dashboard/u/<n>/ → /web/u/<n>/api/dashboard.
// Browser objects are read from globalThis so the repository's Node-oriented lint config applies.
import { el, renderChart, renderTable } from './view.js';

const { document, location, history, localStorage, fetch, EventSource, URLSearchParams, FormData, setTimeout, confirm } = globalThis;

const slot = /^\/dashboard\/u\/([1-9])\/?/.exec(location.pathname)?.[1];
const API = slot ? `/web/u/${slot}/api` : '/web/api';
const T = {
  vi: { recordTitle: 'Ghi nhận họp báo, đề nghị cải chính, phát ngôn chủ động', recordHelp: 'Các mục này được tính trong báo cáo năm (Điều 10 Nghị định 244).', fConference: 'Lên lịch họp báo', startsAt: 'Thời gian', place: 'Địa điểm hoặc đường dẫn', host: 'Cơ quan chủ trì', agencies: 'Mã các cơ quan phát ngôn (cách nhau dấu phẩy)', confTitle: 'Tiêu đề và nội dung', fConferenceSubmit: 'Lên lịch và thông báo', fHeld: 'Đánh dấu họp báo đã tổ chức', confCode: 'Mã họp báo (HB-…)', answered: 'Số thứ tự các câu hỏi đã trả lời tại họp báo (cách nhau dấu phẩy)', fHeldSubmit: 'Đã tổ chức', fCorrection: 'Đề nghị cải chính', outlet: 'Cơ quan báo chí', article: 'Bài viết (tiêu đề hoặc đường dẫn)', published: 'Ngày đăng', grounds: 'Căn cứ đề nghị cải chính', fCorrectionSubmit: 'Ghi nhận đề nghị', letter: 'Văn bản đề nghị (PDF, Word hoặc ảnh; không bắt buộc)', uploading: 'Đang tải văn bản lên…', fOutcome: 'Kết quả đề nghị cải chính', corrCode: 'Mã đề nghị (CC-…)', outcome: 'Kết quả', oCorrected: 'Đã cải chính', oApologised: 'Đã xin lỗi', oRefused: 'Từ chối cải chính', oNoResponse: 'Không phản hồi', oLetterOnly: 'Chỉ đính kèm văn bản (giữ nguyên kết quả)', note: 'Ghi chú', fOutcomeSubmit: 'Ghi kết quả', fStatement: 'Phát ngôn chủ động về một sự việc', eventAt: 'Thời điểm xảy ra sự việc', stTitle: 'Tiêu đề thông tin đã phát ngôn', link: 'Đường dẫn (nếu có)', fStatementSubmit: 'Ghi nhận phát ngôn', sending: 'Đang gửi…', title: 'Bảng điều khiển phát ngôn', skip: 'Chuyển tới nội dung', signInTitle: 'Đăng nhập', signInHelp: 'Nhập mã đăng nhập nhận được khi gõ /web trong Telegram hoặc Zalo (hoặc mã mời của bạn).', codeLabel: 'Mã đăng nhập', signIn: 'Đăng nhập', filters: 'Kỳ và bộ lọc', period: 'Kỳ', periodYear: 'Năm báo cáo (15/12 – 14/12)', periodMonth: 'Tháng này', period7d: '7 ngày qua', periodRange: 'Khoảng tùy chọn', from: 'Từ ngày', to: 'Đến ngày', agency: 'Cơ quan (kèm đơn vị trực thuộc)', topic: 'Lĩnh vực', class: 'Loại thời hạn', apply: 'Xem', all: 'Tất cả', liveOn: 'Cập nhật trực tiếp', liveOff: 'Đang kết nối cập nhật trực tiếp…', asOf: 'Số liệu lúc', annual: 'Báo cáo năm (Điều 10 Nghị định 244)', year: 'Năm báo cáo', annualXlsx: 'Tải báo cáo năm (XLSX)', annualHtml: 'Bản in A4', csv: 'Tải CSV', xlsx: 'Tải XLSX', loading: 'Đang tải…', loadFailed: 'Không tải được số liệu. Vui lòng tải lại trang; nếu vẫn lỗi, báo cho quản trị viên.', trendChart: 'Biểu đồ: câu hỏi nhận và trả lời theo tuần, tỉ lệ đúng hạn', topicChart: 'Biểu đồ: lĩnh vực được hỏi nhiều nhất', received: 'Nhận', replied: 'Trả lời', onTime: 'Đúng hạn (%)', thread: 'Diễn biến câu hỏi', close: 'Đóng', signedInAs: 'Đăng nhập:' },
  en: { recordTitle: 'Record press conferences, correction requests, own-initiative statements', recordHelp: 'These count in the annual report (Decree 244 Art. 10).', fConference: 'Schedule a press conference', startsAt: 'Date and time', place: 'Place or link', host: 'Host agency', agencies: 'Presenting agencies\' codes (comma-separated)', confTitle: 'Title and topics', fConferenceSubmit: 'Schedule and announce', fHeld: 'Mark a press conference held', confCode: 'Conference code (HB-…)', answered: 'Numbers of the questions answered at the conference (comma-separated)', fHeldSubmit: 'Held', fCorrection: 'Correction request', outlet: 'Press outlet', article: 'Article (title or link)', published: 'Published on', grounds: 'Grounds for the correction', fCorrectionSubmit: 'Record the request', letter: 'Official letter (PDF, Word or image; optional)', uploading: 'Uploading the letter…', fOutcome: 'Outcome of a correction request', corrCode: 'Request code (CC-…)', outcome: 'Outcome', oCorrected: 'Corrected', oApologised: 'Apologised', oRefused: 'Refused to correct', oNoResponse: 'No response', oLetterOnly: 'Only attach the letter (outcome unchanged)', note: 'Note', fOutcomeSubmit: 'Record the outcome', fStatement: 'Own-initiative statement about an event', eventAt: 'When the event happened', stTitle: 'Title of the statement published', link: 'Link (if any)', fStatementSubmit: 'Record the statement', sending: 'Sending…', title: 'Spokesperson dashboard', skip: 'Skip to content', signInTitle: 'Sign in', signInHelp: 'Type the sign-in code you get by sending /web in Telegram or Zalo (or your invite code).', codeLabel: 'Sign-in code', signIn: 'Sign in', filters: 'Period and filters', period: 'Period', periodYear: 'Reporting year (15 Dec – 14 Dec)', periodMonth: 'This month', period7d: 'Last 7 days', periodRange: 'Custom range', from: 'From', to: 'To', agency: 'Agency (with its sub-units)', topic: 'Topic', class: 'Deadline class', apply: 'Show', all: 'All', liveOn: 'Live updates', liveOff: 'Connecting live updates…', asOf: 'Figures as of', annual: 'Annual report (Decree 244 Art. 10)', year: 'Reporting year', annualXlsx: 'Download the annual report (XLSX)', annualHtml: 'Printable A4 page', csv: 'CSV', xlsx: 'XLSX', loading: 'Loading…', loadFailed: 'The figures could not be loaded. Please reload the page; if it persists, tell an administrator.', trendChart: 'Chart: inquiries received and replied per week, on-time rate', topicChart: 'Chart: busiest topics', received: 'Received', replied: 'Replied', onTime: 'On time (%)', thread: 'Inquiry thread', close: 'Close', signedInAs: 'Signed in:' },
};
let lang = localStorage.getItem('dashboard-lang') === 'en' ? 'en' : 'vi';
const t = (k) => T[lang][k] ?? k;
const $ = (id) => document.getElementById(id);
let me = null;

function applyLang() {
  document.documentElement.lang = lang;
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  $('lang-toggle').textContent = lang === 'vi' ? 'English' : 'Tiếng Việt';
  $('lang-toggle').lang = lang === 'vi' ? 'en' : 'vi';
}

function showError(body) {
  $('error').hidden = !body;
  $('error').textContent = body ? (lang === 'en' ? body.message_en : body.message_vi) ?? String(body) : '';
}

/** Asks for a signing-in invite's binding again every 250 ms, for up to 10 s (the bot's flow makes it). */
const PENDING_TRIES = 40;

async function get(path, tries = 0) {
  const res = await fetch(`${API}/dashboard/${path}`, { credentials: 'same-origin', headers: { accept: 'application/json' } });
  const body = await res.json().catch(() => ({}));
  if (res.status === 401) { showSignIn(); throw new Error('no_session'); }
  if (res.status === 503 && body.error === 'sign_in_pending' && tries < PENDING_TRIES) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    return get(path, tries + 1);
  }
  if (!res.ok) { showError(body); throw new Error(body.error ?? String(res.status)); }
  return body;
}

function query() {
  const f = new FormData($('filters'));
  const q = new URLSearchParams();
  for (const k of ['period', 'org', 'topic', 'class']) if (f.get(k)) q.set(k, String(f.get(k)));
  if (f.get('period') === 'range') { q.set('from', String(f.get('from') ?? '')); q.set('to', String(f.get('to') ?? '')); }
  return q;
}

function exportsFor(table, extra = '') {
  const q = query();
  const link = (format) => el('a', { href: `${API}/dashboard/export?table=${table}&format=${format}&${q}${extra}`, download: '', text: t(format) });
  return el('p', { class: 'exports' }, link('csv'), link('xlsx'));
}

function section(id, title, ...content) {
  const heading = el('h2', { id: `${id}-title`, text: title });
  const card = el('section', { class: `card${id === 'league' || id === 'overdue' || id === 'thread' || id === 'inquiries' ? ' wide' : ''}`, id: `s-${id}`, 'aria-labelledby': `${id}-title` }, heading, ...content);
  const existing = $(`s-${id}`);
  // A re-read replaces the section: its old charts are released first.
  for (const box of existing?.querySelectorAll('.chart') ?? []) box.chart?.destroy();
  if (existing) existing.replaceWith(card); else $('sections').append(card);
  return card;
}

const title = (table) => (lang === 'en' ? table.en : table.vi);

async function openThread(code) {
  const { inquiry, entries } = await get(`inquiry?code=${encodeURIComponent(code)}`);
  const items = entries.map((e) => el('li', {}, el('strong', { text: `${e.kind} — ${e.author ?? ''} ` }), el('span', { class: 'muted', text: new Date(e.created_at).toLocaleString(lang === 'en' ? 'en-GB' : 'vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' }) }), el('p', { text: e.text })));
  const card = section('thread', `${t('thread')} ${inquiry.code}`,
    el('p', { text: `${inquiry.agency ?? ''} · ${inquiry.topic ?? ''} · ${inquiry.status} · ${inquiry.reporter ?? ''} (${inquiry.outlet ?? ''})` }),
    el('div', { class: 'thread' }, el('ol', {}, ...items)),
    el('button', { type: 'button', class: 'secondary', text: t('close'), onclick: () => card.remove() }));
  card.scrollIntoView();
  card.querySelector('h2').setAttribute('tabindex', '-1');
  card.querySelector('h2').focus();
}

const threadLink = (c, row) => (c.key === 'code' && /^Q-\d+$/.test(String(row.code)) ? () => void openThread(row.code) : undefined);

async function openAgency(code) {
  const q = query();
  q.set('org', code);
  const table = await get(`inquiries?${q}`);
  const card = section('inquiries', title(table), exportsFor('inquiries', `&org=${encodeURIComponent(code)}`), renderTable(table, lang, { sortable: true, link: threadLink }));
  card.scrollIntoView();
}

async function openNotice(id) {
  const tables = await get(`notice?id=${id}`);
  section('notice', title(tables[0]), ...tables.map((tb) => el('div', {}, exportsFor(tb.name, `&notice=${id}`), renderTable(tb, lang, { sortable: true }))));
}

async function load() {
  $('status').textContent = t('loading');
  showError(null);
  const q = query();
  try {
    if (me.recordsOnly) return await loadRecords(q);
    const [summary, league, overdue, trends, topics, notices, conferences, records] = await Promise.all(
      ['summary', 'league', 'overdue', 'trends', 'topics', 'notices', 'conferences', 'records'].map((p) => get(`${p}?${q}`)));
    $('as-of').textContent = `${t('asOf')} ${new Date(summary.asOf).toLocaleString(lang === 'en' ? 'en-GB' : 'vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' })}`;
    section('onestop', title(summary.tables[0]), exportsFor('onestop'), renderTable(summary.tables[0], lang));
    section('figures', title(summary.tables[1]), exportsFor('figures'), renderTable(summary.tables[1], lang));
    section('league', title(league), exportsFor('league'), renderTable(league, lang, { sortable: true, link: (c, row) => (c.key === 'code' && row.code !== '—' ? () => void openAgency(row.code) : undefined) }));
    section('overdue', title(overdue), exportsFor('overdue'), renderTable(overdue, lang, { sortable: true, link: threadLink, rowClass: () => 'late' }));
    section('trends', title(trends), renderChart('line', trends.rows.map((r) => r.week), [
      { label: t('received'), data: trends.rows.map((r) => r.received), borderColor: '#1d4ed8' },
      { label: t('replied'), data: trends.rows.map((r) => r.replied), borderColor: '#047857' },
      { label: t('onTime'), data: trends.rows.map((r) => (r.onTimeRate === null ? null : Math.round(r.onTimeRate * 1000) / 10)), borderColor: '#b45309', yAxisID: 'rate' },
    ], t('trendChart')), exportsFor('trends'), renderTable(trends, lang));
    section('topics', title(topics), renderChart('bar', topics.rows.map((r) => r.topic), [{ label: t('received'), data: topics.rows.map((r) => r.received), backgroundColor: '#1d4ed8' }], t('topicChart')), exportsFor('topics'), renderTable(topics, lang, { sortable: true }));
    section('notices', title(notices), exportsFor('notices'), renderTable(notices, lang, { sortable: true, link: (c, row) => (c.key === 'id' ? () => void openNotice(row.id) : undefined) }));
    section('conferences', title(conferences), exportsFor('conferences'), renderTable(conferences, lang, { sortable: true }));
    recordsSection(records);
    $('status').textContent = '';
  } catch (err) {
    if (err.message === 'no_session') return;
    $('status').textContent = '';
    // A refusal was shown by get(); a dropped connection or a table that could not be drawn must not leave a blank page.
    if ($('error').hidden) {
      $('error').textContent = t('loadFailed');
      $('error').hidden = false;
      console.error(err);
    }
  }
}

function recordsSection(records) {
  section('records', title(records), exportsFor('records'), renderTable(records, lang, { sortable: true, link: (c, row) => (c.key === 'document' && row.documentId ? () => { location.assign(`${API}/file?id=${row.documentId}`); } : undefined) }));
}

// A regular spokesperson records for their agency and sees its records; the figures are not theirs to read (the server refuses them).
async function loadRecords(q) {
  recordsSection(await get(`records?${q}`));
  $('status').textContent = '';
}

function fillSelect(select, items, value, labelOf) {
  select.replaceChildren(el('option', { value: '', text: t('all') }), ...items.map((i) => el('option', { value: value(i), text: labelOf(i) })));
}

function annualLinks() {
  const y = $('year').value || me.today.slice(0, 4);
  const org = $('org').value ? `&org=${encodeURIComponent($('org').value)}` : '';
  $('annual-xlsx').href = `${API}/dashboard/annual?format=xlsx&year=${y}${org}`;
  $('annual-html').href = `${API}/dashboard/annual?format=html&year=${y}${org}`;
}

// The forms post JSON with the session's CSRF token; the server runs the chat command's own flow
// and answers its sentence (vi and en), or a refusal (400 invalid field, 403 no standing).
async function submitAction(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const result = form.querySelector('.result');
  const fields = {};
  const files = [];
  for (const [k, v] of new FormData(form)) if (typeof v === 'string') fields[k] = v; else if (v.size > 0) files.push([k, v]);
  result.className = 'result';
  for (const n of form.querySelectorAll('[aria-invalid]')) n.removeAttribute('aria-invalid');
  // A file (the correction request's letter) is uploaded first, checked and stored like any file; the form names it.
  for (const [k, file] of files) {
    result.textContent = t('uploading');
    const up = await fetch(`${API}/files`, { method: 'POST', credentials: 'same-origin', headers: { 'content-type': file.type || 'application/octet-stream', 'x-csrf-token': me.csrfToken, 'x-file-name': encodeURIComponent(file.name || 'tep') }, body: file });
    const stored = await up.json().catch(() => ({}));
    if (!up.ok) return refusedField(form, result, { ...stored, field: k });
    fields[k] = stored.ref;
  }
  result.textContent = t('sending');
  const res = await fetch(`${API}/dashboard/${form.dataset.action}`, {
    method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': me.csrfToken }, body: JSON.stringify(fields),
  });
  const body = await res.json().catch(() => ({}));
  if (res.status === 401) return showSignIn();
  if (!res.ok) return refusedField(form, result, body);
  result.textContent = (lang === 'en' ? body.message_en : body.message_vi) ?? String(res.status);
  result.className = 'result ok';
  form.reset();
  return load();
}

/** Tells a refusal under its form and marks (and focuses) the field it is about. */
function refusedField(form, result, body) {
  result.textContent = (lang === 'en' ? body.message_en : body.message_vi) ?? String(body.error ?? '');
  result.className = 'result bad';
  const field = body.field ? form.elements.namedItem(body.field) : null;
  if (field) { field.setAttribute('aria-invalid', 'true'); field.focus(); }
}

function showForms() {
  const hostOrgs = me.orgs.filter((o) => o.type === 'ministry' || o.type === 'province');
  for (const select of document.querySelectorAll('.org-select')) {
    select.replaceChildren(...(hostOrgs.length > 0 ? hostOrgs : me.orgs).map((o) => el('option', { value: o.code, text: `${o.name} (${o.code})` })));
  }
  let any = false;
  for (const form of document.querySelectorAll('form.action')) {
    form.hidden = !me.roles.includes(form.dataset.role);
    any ||= !form.hidden;
  }
  $('record').hidden = !any;
}

let pending = null;
let lastLoad = 0;
function live() {
  const source = new EventSource(`${API}/dashboard/events`);
  source.addEventListener('open', () => { $('live').textContent = t('liveOn'); });
  source.addEventListener('error', () => { $('live').textContent = t('liveOff'); });
  // A change anywhere: read the figures again (at most every 1.5 s).
  source.addEventListener('change', () => {
    if (pending) return;
    pending = setTimeout(() => { pending = null; lastLoad = Date.now(); void load(); }, Math.max(0, 1500 - (Date.now() - lastLoad)));
  });
}

function showSignIn() {
  $('dash').hidden = true;
  $('sign-in').hidden = false;
  const code = new URLSearchParams(location.search).get('code');
  if (code) $('code').value = code;
}

async function signIn(event) {
  event.preventDefault();
  const post = (replace) => fetch(`${API}/sign-in`, { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: $('code').value.trim(), replace }) });
  let res = await post(false);
  let body = await res.json().catch(() => ({}));
  if (res.status === 409 && confirm(lang === 'en' ? body.message_en : body.message_vi)) {
    res = await post(true);
    body = await res.json().catch(() => ({}));
  }
  if (!res.ok) return showError(body);
  history.replaceState(null, '', location.pathname);
  await start();
}

async function start() {
  try {
    me = await get('me');
  } catch {
    return;
  }
  $('sign-in').hidden = true;
  $('dash').hidden = false;
  $('who').textContent = `${t('signedInAs')} ${me.name}`;
  fillSelect($('org'), me.orgs, (o) => o.code, (o) => `${o.name} (${o.code})`);
  fillSelect($('topic'), me.topics, (x) => x.code, (x) => x.name);
  fillSelect($('class'), me.classes, (c) => c, (c) => c);
  $('year').value = me.today.slice(0, 4);
  annualLinks();
  $('filters').hidden = me.recordsOnly;
  $('annual').hidden = me.recordsOnly;
  showForms();
  await load();
  live();
}

$('lang-toggle').addEventListener('click', () => { lang = lang === 'vi' ? 'en' : 'vi'; localStorage.setItem('dashboard-lang', lang); applyLang(); if (me) void load(); });
$('filters').addEventListener('submit', (e) => { e.preventDefault(); annualLinks(); void load(); });
$('period').addEventListener('change', () => { for (const n of document.querySelectorAll('.range')) n.hidden = $('period').value !== 'range'; });
$('year').addEventListener('change', annualLinks);
$('org').addEventListener('change', annualLinks);
$('sign-in').addEventListener('submit', (e) => void signIn(e));
for (const form of document.querySelectorAll('form.action')) form.addEventListener('submit', (e) => void submitAction(e));
for (const n of document.querySelectorAll('.range')) n.hidden = true;
applyLang();
void start();
