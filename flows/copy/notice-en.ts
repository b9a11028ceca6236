import type { AckRateLine, NoticeCopy, NoticeCounts, NoticeView } from './notice-types.js';

const pct = (a: number, b: number) => (b === 0 ? '–' : `${Math.round((a / b) * 100)}%`);
const body = (v: NoticeView) => [`📢 ${v.title}`, '', v.body, ...(v.link ? ['', `🔗 ${v.link}`] : [])].join('\n');
const counts = (c: NoticeCounts) => [
  `Sent: ${c.sent}/${c.total}`, `Failed: ${c.failed}`, `Unreachable: ${c.unreachable}`,
  `Not joined: ${c.notJoined}`, `Acknowledged: ${c.acked} (${pct(c.acked, c.sent)})`,
  ...(c.held > 0 ? [`Held for the channel: ${c.held}`] : []),
].join('\n');
const rates = (lines: AckRateLine[]) => lines.map((l) => `• ${l.name}: ${l.acked}/${l.sent} (${pct(l.acked, l.sent)})`).join('\n') || '• –';
const PLATFORMS: Record<string, string> = { telegram: 'Telegram', zalo_oa: 'Zalo OA', zalo_personal: 'Zalo', web: 'Web' };

export const noticeEn: NoticeCopy = {
  message: (v) => `${body(v)}\n\nPlease press "Đã nhận" (received) to confirm.`,
  reminder: (v) => `⏰ Reminder: you have not confirmed this notice yet.\n\n${body(v)}\n\nPlease press "Đã nhận" (received) to confirm.`,
  btnAck: '✅ Đã nhận (received)',
  acked: (title) => `Thank you: your receipt of "${title}" is recorded.`,
  ackedAgain: 'You have already confirmed this notice.',
  notRecipient: 'This notice was not sent to you.',
  askTitle: 'New policy notice. Send the title (one line). /cancel to stop.',
  askBody: 'Send the body of the notice (it may be long; it is split into several messages).',
  askLink: 'Send a link to attach (https://…), or "-" for none.',
  badLink: 'A link must start with http:// or https://; send "-" for none.',
  askAudience: (ex) => `Who should receive it? Choose below, or type:\n• all — every contact you cover\n• org:CODE1,CODE2 — organisations with everything below them (a province, a list of communes)\n• tag:tag1,tag2 — by tag\n• org:…;tag:… — both must match\nExample: ${ex}`,
  badAudience: 'Audience not understood. Examples: all, org:HUE, org:P-KIMLONG,P-VYDA, tag:y-te.',
  btnMyScope: (names) => `My province (${names})`,
  btnAll: 'Every contact',
  btnCommunes: (n) => `Choose communes (${n})…`,
  btnTag: (tag) => `Tag: ${tag}`,
  btnPrev: (page, pages) => `◀ Page ${page}/${pages}`,
  btnNext: (page, pages) => `Page ${page}/${pages} ▶`,
  btnDone: (n) => `Done (${n} chosen)`,
  communesPicker: (n, pages) => `Choose the communes to receive the notice (${n} communes, ${pages} pages): press one to tick ✓ or untick it, ◀ ▶ to turn the page, then «Done».`,
  noneChosen: 'No commune chosen yet. Press a commune to tick it, then «Done».',
  orgNotInScope: 'That organisation is outside your scope, so it cannot be chosen. Please choose from the list.',
  audienceStale: 'No notice is being composed. Send /notice to write a new one.',
  unknownOrgs: (codes) => `No organisation has the code(s): ${codes.join(', ')}.`,
  outOfScope: (codes) => `These organisations are outside your scope: ${codes.join(', ')}.`,
  noRecipients: 'No contact belongs to this audience.',
  tooLong: (max) => `Too long (at most ${max} characters).`,
  filesAdded: (n) => `${n} file(s) attached to the notice; they are sent after its text. Carry on as before.`,
  preview: (p) => [
    `Preview of notice #${p.id}: "${p.title}"`, `Audience: ${p.audience}`,
    ...p.perChannel.map((c) => `• ${noticeEn.platformLabel(c.platform)}: ${c.n}`),
    `• Unreachable: ${p.unreachable}`, `• Not joined yet (invite unused): ${p.notJoined}`,
    ...(p.parts > 1 ? [`Long body: each recipient gets ${p.parts} messages.`] : []),
    ...(p.files?.length ? [`📎 With ${p.files.length} file(s): ${p.files.join(', ')}`] : []),
    'Nothing has been sent. Press "Send" to send, "Cancel" to drop it.',
  ].join('\n'),
  btnSend: '📤 Send',
  btnCancel: 'Cancel',
  cancelled: 'Notice cancelled; nothing was sent.',
  started: (id, title) => `Sending notice #${id} "${title}"…`,
  notDraft: (id) => `Notice #${id} was already sent or cancelled.`,
  progress: (id, title, c, done) => `${done ? '✅ Finished sending' : '⏳ Sending'} notice #${id} "${title}"\n${counts(c)}`,
  summary: (id, title, c) => `Summary of notice #${id} "${title}":\n${counts(c)}\nDetails: /notice status ${id}`,
  status: (id, title, c, provinces, communes) => `Notice #${id} "${title}"\n${counts(c)}\nAcknowledged by province:\n${rates(provinces)}\nBy commune:\n${rates(communes)}`,
  statusUsage: 'Usage: /notice to compose; /notice status <number>.',
  notFound: (id) => `Notice ${id} not found.`,
  platformLabel: (p) => PLATFORMS[p] ?? p,
};
