// Staff notifications: after a staff member signs in, a visible offer to turn on notifications
// (the browser's permission prompt only ever follows a click on it), the Web Push subscription of
// this browser, and a small settings panel (events, quiet hours, channel, sound).
import { ApiError, api } from './api.js';
import { el, showError, state, ui } from './dom.js';
import { lang } from './i18n.js';
import { sound } from './sound.js';

const { document, navigator, Notification, atob } = globalThis;

const S = {
  vi: {
    offer: 'Bật thông báo để không bỏ lỡ câu hỏi mới và hạn trả lời 24 giờ, kể cả khi đã đóng trang.',
    enable: 'Bật thông báo', later: 'Để sau', settings: 'Thông báo', settingsTitle: 'Cài đặt thông báo',
    events: 'Báo cho tôi khi có', inquiry: 'Câu hỏi mới', reminder: 'Nhắc hạn trả lời', escalation: 'Quá hạn, chuyển cấp', reply: 'Phản hồi của phóng viên',
    quiet: 'Giờ yên lặng (thông báo đẩy chờ đến hết giờ, trừ câu hỏi có hạn 24 giờ)', quietOn: 'Bật giờ yên lặng', from: 'Từ', to: 'Đến',
    channel: 'Kênh ưu tiên', both: 'Thông báo đẩy và tin nhắn', chat: 'Chỉ tin nhắn, không thông báo đẩy',
    channelNote: 'Tin nhắn luôn được gửi vào cuộc trò chuyện (Telegram, Zalo hoặc trang web): đó là hồ sơ, kèm các nút thao tác.',
    sound: 'Phát âm thanh khi có tin mới trên trang này', save: 'Lưu', close: 'Đóng', saved: 'Đã lưu cài đặt thông báo.',
    on: 'Thông báo đẩy đang bật trên trình duyệt này.', off: 'Thông báo đẩy chưa bật trên trình duyệt này.',
    denied: 'Trình duyệt đang chặn thông báo của trang này. Hãy cho phép trong phần cài đặt trang của trình duyệt.',
    noPush: 'Trình duyệt này không nhận được thông báo đẩy; tiêu đề thẻ và âm thanh vẫn báo tin mới khi trang đang mở.',
    stop: 'Tắt trên trình duyệt này', badTime: 'Giờ yên lặng: giờ bắt đầu và giờ kết thúc phải khác nhau.',
  },
  en: {
    offer: 'Turn on notifications so you never miss a new question or a 24-hour deadline, even with the page closed.',
    enable: 'Turn on notifications', later: 'Not now', settings: 'Notifications', settingsTitle: 'Notification settings',
    events: 'Tell me about', inquiry: 'New questions', reminder: 'Deadline reminders', escalation: 'Overdue escalations', reply: 'Reporters\' replies',
    quiet: 'Quiet hours (pushes wait until they end, except questions with a 24-hour deadline)', quietOn: 'Use quiet hours', from: 'From', to: 'To',
    channel: 'Preferred channel', both: 'Push and chat messages', chat: 'Chat messages only, no push',
    channelNote: 'Chat messages always go to your chat (Telegram, Zalo or the web page): they are the record, with the buttons to act.',
    sound: 'Play a sound for new messages on this page', save: 'Save', close: 'Close', saved: 'Notification settings saved.',
    on: 'Push notifications are on in this browser.', off: 'Push notifications are not on in this browser.',
    denied: 'This browser blocks notifications from this page. Allow them in the browser\'s site settings.',
    noPush: 'This browser cannot receive push notifications; the tab title and the sound still show new messages while the page is open.',
    stop: 'Turn off in this browser', badTime: 'Quiet hours: the start and end must differ.',
  },
};
const s = (key) => S[lang.current === 'en' ? 'en' : 'vi'][key];
const KINDS = ['inquiry', 'reminder', 'escalation', 'reply'];
const CHANNELS = ['both', 'chat'];
const p = { view: undefined, offer: undefined, button: undefined, panel: undefined, dismissed: false };

/** base64url → bytes (the VAPID public key, for `applicationServerKey`). */
function keyBytes(b64url) {
  const raw = atob(b64url.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

async function registration() {
  if (!navigator.serviceWorker) return undefined;
  return navigator.serviceWorker.getRegistration('/web').catch(() => undefined);
}

/** Subscribes this browser to Web Push and tells the server; false when the browser cannot. */
async function subscribePush() {
  if (!p.view?.pushEnabled || !p.view.publicKey) return false;
  const reg = (await registration()) ?? (await navigator.serviceWorker?.ready);
  if (!reg?.pushManager) return false;
  try {
    const sub = await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(p.view.publicKey) });
    const json = sub.toJSON();
    await api('POST', '/notify/subscribe', { endpoint: json.endpoint, keys: json.keys });
    return true;
  } catch (err) {
    if (err instanceof ApiError) showError(err.body);
    return false;
  }
}

/** The click on "Turn on notifications": the only place the browser's prompt is asked for. */
async function enable() {
  if (!Notification) { status(s('noPush'), true); return; }
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') { status(s('denied'), true); return; }
  const ok = await subscribePush();
  status(ok ? s('on') : s('noPush'), true);
  // The offer stays only to say why it did not work.
  if (ok) p.offer.hidden = true;
}

async function disable() {
  const sub = await (await registration())?.pushManager?.getSubscription();
  if (sub) {
    await api('POST', '/notify/unsubscribe', { endpoint: sub.endpoint }).catch(() => undefined);
    await sub.unsubscribe().catch(() => undefined);
  }
  status(s('off'));
}

/** Shows how notifications stand in the settings panel, and (`inOffer`: the answer to its click) under the offer. */
function status(text, inOffer = false) {
  const node = p.panel?.querySelector('.notify-state');
  if (node) node.textContent = text;
  const offerText = p.offer?.querySelector('.notify-offer-result');
  if (offerText && inOffer) offerText.textContent = text;
}

function buildOffer() {
  p.offer = el('section', { className: 'notify-offer', 'aria-label': s('settings'), hidden: true },
    el('p', { className: 'notify-offer-text' }, s('offer')),
    el('div', { className: 'notify-actions' },
      el('button', { type: 'button', className: 'btn-primary', onclick: () => { void enable(); } }, s('enable')),
      el('button', { type: 'button', onclick: () => { p.dismissed = true; p.offer.hidden = true; } }, s('later'))),
    el('p', { className: 'notify-offer-result', role: 'status' }));
  document.getElementById('main').prepend(p.offer);
}

function field(kind, checked) {
  return el('label', { className: 'notify-check' }, checkbox(`notify-${kind}`, checked), s(kind));
}
function checkbox(id, checked) {
  const box = el('input', { type: 'checkbox', id, name: id });
  box.checked = checked;
  return box;
}

function buildPanel() {
  const prefs = p.view.prefs;
  const time = (id, value) => el('input', { type: 'time', id, name: id, value, step: '60' });
  const form = el('form', { className: 'notify-panel', id: 'notify-panel', 'aria-labelledby': 'notify-title', hidden: true, onsubmit: (ev) => { ev.preventDefault(); void save(); } },
    el('h2', { id: 'notify-title' }, s('settingsTitle')),
    el('p', { className: 'notify-state', role: 'status' }),
    el('fieldset', {}, el('legend', {}, s('events')), ...KINDS.map((k) => field(k, prefs.events.includes(k)))),
    el('fieldset', {}, el('legend', {}, s('quiet')),
      el('label', { className: 'notify-check' }, checkbox('notify-quiet', prefs.quiet !== null), s('quietOn')),
      el('div', { className: 'notify-times' },
        el('label', { for: 'notify-from' }, s('from')), time('notify-from', prefs.quiet?.from ?? '22:00'),
        el('label', { for: 'notify-to' }, s('to')), time('notify-to', prefs.quiet?.to ?? '06:30'))),
    el('fieldset', {}, el('legend', {}, s('channel')), ...CHANNELS.map((c) => {
      const radio = el('input', { type: 'radio', name: 'notify-channel', id: `notify-ch-${c}`, value: c });
      radio.checked = prefs.channel === c;
      return el('label', { className: 'notify-check' }, radio, s(c));
    }), el('p', { className: 'notify-note' }, s('channelNote'))),
    el('label', { className: 'notify-check' }, checkbox('notify-sound', sound.on), s('sound')),
    el('div', { className: 'notify-actions' },
      el('button', { type: 'submit', className: 'btn-primary' }, s('save')),
      el('button', { type: 'button', onclick: () => { void disable(); } }, s('stop')),
      el('button', { type: 'button', onclick: () => togglePanel(false) }, s('close'))));
  p.panel?.remove();
  p.panel = form;
  document.getElementById('main').prepend(form);
}

async function save() {
  const f = p.panel;
  const quietOn = f.querySelector('#notify-quiet').checked;
  const from = f.querySelector('#notify-from').value;
  const to = f.querySelector('#notify-to').value;
  if (quietOn && from === to) { status(s('badTime')); return; }
  const prefs = {
    events: KINDS.filter((k) => f.querySelector(`#notify-${k}`).checked),
    quiet: quietOn ? { from, to } : null,
    channel: f.querySelector('input[name="notify-channel"]:checked')?.value ?? 'both',
  };
  sound.set(f.querySelector('#notify-sound').checked);
  try {
    await api('POST', '/notify/prefs', prefs);
    p.view.prefs = prefs;
    status(s('saved'));
  } catch (err) {
    showError(err instanceof ApiError && err.body.message_vi ? err.body : 'network');
  }
}

function togglePanel(open = p.panel?.hidden) {
  if (!p.panel) return;
  p.panel.hidden = !open;
  p.button.setAttribute('aria-expanded', String(open));
  if (open) p.panel.querySelector('input')?.focus();
  else p.button.focus();
}

export function initPanel() {
  p.button = el('button', { type: 'button', id: 'notify-toggle', 'aria-controls': 'notify-panel', 'aria-expanded': 'false', hidden: true, onclick: () => togglePanel() },
    el('span', { className: 'top-icon icon-bell', 'aria-hidden': 'true' }), el('span', { className: 'top-label' }, s('settings')));
  document.querySelector('.top-actions').prepend(p.button);
  ui.signOut.addEventListener('click', () => { void signOutPressed(); });
}

/** After sign-in: staff get the settings button and, unless already decided, the offer to turn notifications on. */
export async function panelSignedIn() {
  try {
    p.view = await api('GET', '/notify');
  } catch {
    p.view = undefined;
  }
  if (!p.view?.staff || !state.signedIn) return;
  buildOffer();
  buildPanel();
  p.button.hidden = false;
  const permission = Notification?.permission ?? 'denied';
  p.offer.hidden = p.dismissed || permission === 'denied' || (permission === 'granted' && p.view.subscriptions > 0);
  if (permission === 'granted' && p.view.pushEnabled) {
    // Already allowed in this browser: keep the subscription up to date (no prompt is shown).
    const sub = await (await registration())?.pushManager?.getSubscription();
    status(sub ? s('on') : s('off'));
  }
}

/** Signed out (or the session ended): the staff controls go until the next sign-in. */
export function panelSignedOut() {
  p.view = undefined;
  p.offer?.remove();
  p.panel?.remove();
  p.offer = undefined;
  p.panel = undefined;
  if (p.button) p.button.hidden = true;
}

/**
 * "Sign out" pressed: this browser's push subscription ends too, so whoever signs in next here does
 * not get this person's notifications. (A session that merely expired keeps it: the page closed
 * is exactly when a push matters.)
 */
async function signOutPressed() {
  const sub = await (await registration())?.pushManager?.getSubscription();
  if (!sub) return;
  await api('POST', '/notify/unsubscribe', { endpoint: sub.endpoint }).catch(() => undefined);
  await sub.unsubscribe().catch(() => undefined);
}

export function panelLanguage() {
  if (p.button) p.button.querySelector('.top-label').textContent = s('settings');
  if (p.view?.staff && state.signedIn) {
    const open = p.panel && !p.panel.hidden;
    const offerShown = p.offer && !p.offer.hidden;
    p.offer?.remove();
    buildOffer();
    p.offer.hidden = !offerShown;
    buildPanel();
    if (open) p.panel.hidden = false;
  }
}
