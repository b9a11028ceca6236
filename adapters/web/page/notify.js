// Notifications on the page itself: the unread count in the tab title and a drawn favicon badge,
// an optional sound (off unless the person turns it on), and the service worker that makes the
// page installable and shows Web Push. The staff's permission prompt and settings: notify-panel.js.
import { ui } from './dom.js';
import { initPanel, panelLanguage, panelSignedIn, panelSignedOut } from './notify-panel.js';
import { sound } from './sound.js';

const { document, navigator, MutationObserver } = globalThis;

const TITLE_COUNT = /^\(\d+\+?\) /;
const note = { unread: 0, ready: false };

/** True when the person can see the page now (tab shown and window focused). */
const seen = () => document.visibilityState === 'visible' && document.hasFocus();

/** The count as shown: 1–9, then 9+. */
const label = (n) => (n > 9 ? '9+' : String(n));

/** Puts `(n)` before the title the page set (the page sets it again on a language change). */
export function refreshTitle() {
  const base = document.title.replace(TITLE_COUNT, '');
  document.title = note.unread > 0 ? `(${label(note.unread)}) ${base}` : base;
  drawFavicon();
}

/** The app icon, with a red badge and the count when there is something unread. */
function drawFavicon() {
  const canvas = document.createElement('canvas');
  canvas.width = 64;
  canvas.height = 64;
  const g = canvas.getContext('2d');
  if (!g) return;
  g.fillStyle = '#0f3d6e';
  g.fillRect(0, 0, 64, 64);
  g.fillStyle = '#fff';
  g.beginPath();
  g.roundRect(13, 15, 38, 27, 6);
  g.moveTo(19, 41); g.lineTo(29, 41); g.lineTo(19, 51);
  g.fill();
  if (note.unread > 0) {
    g.fillStyle = '#dc2626';
    g.beginPath();
    g.arc(44, 20, 19, 0, 2 * Math.PI);
    g.fill();
    g.fillStyle = '#fff';
    g.font = 'bold 26px system-ui, sans-serif';
    g.textAlign = 'center';
    g.textBaseline = 'middle';
    g.fillText(label(note.unread), 44, 21);
  }
  let link = document.querySelector('link[rel="icon"]');
  if (!link) { link = document.createElement('link'); link.rel = 'icon'; document.head.append(link); }
  link.type = 'image/png';
  link.href = canvas.toDataURL('image/png');
  link.dataset.unread = String(note.unread);
}

function clearUnread() {
  if (note.unread === 0 || !seen()) return;
  note.unread = 0;
  refreshTitle();
}

/** A bot message arrived (live, after the first load): counted while the person is not looking. */
function arrived(count) {
  if (!note.ready || count === 0 || seen()) return;
  note.unread += count;
  refreshTitle();
  sound.beep();
}

/**
 * The person read threads (in this tab, another one or another device): this tab's count is at
 * most what their inbox still holds unread (`total`), so reading elsewhere clears it here too.
 */
export function capUnread(total) {
  if (note.unread <= total) return;
  note.unread = Math.max(0, total);
  refreshTitle();
}

/** Once, at boot: watch the timeline, register the service worker (installable page; no permission asked). */
export function initNotify() {
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = '/web/notify.css';
  document.head.append(link);
  new MutationObserver((records) => {
    let bot = 0;
    for (const r of records) for (const node of r.addedNodes) if (node.classList?.contains('msg-bot')) bot += 1;
    arrived(bot);
  }).observe(ui.list, { childList: true, subtree: true });
  document.addEventListener('visibilitychange', clearUnread);
  globalThis.addEventListener('focus', clearUnread);
  if (navigator.serviceWorker) navigator.serviceWorker.register('/web/sw.js', { scope: '/web' }).catch(() => { /* the page works without it */ });
  initPanel();
  drawFavicon();
}

/** After sign-in and the first load: from now on new messages count as unread. */
export async function notifySignedIn() {
  note.ready = true;
  await panelSignedIn();
}

export function notifySignedOut() {
  note.ready = false;
  note.unread = 0;
  refreshTitle();
  panelSignedOut();
}

export function notifyLanguage() {
  refreshTitle();
  panelLanguage();
}
