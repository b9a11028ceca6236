// The service worker (scope /web): shows the staff's push notifications and opens or focuses the
// page when one is clicked. No fetch handler: the page always talks to the server directly.
const sw = globalThis;
const HOME = '/web';

sw.addEventListener('install', () => { void sw.skipWaiting(); });
sw.addEventListener('activate', (ev) => { ev.waitUntil(sw.clients.claim()); });

sw.addEventListener('push', (ev) => {
  let data = {};
  try { data = ev.data ? ev.data.json() : {}; } catch { data = { body: ev.data ? ev.data.text() : '' }; }
  ev.waitUntil(sw.registration.showNotification(data.title || 'Mạng lưới phát ngôn', {
    body: data.body || '', tag: data.tag || undefined, icon: `${HOME}/icon-192.png`, badge: `${HOME}/icon-192.png`,
    data: { url: typeof data.url === 'string' && data.url.startsWith(HOME) ? data.url : HOME },
    // A 24-hour legal deadline stays on screen until the person acts on it.
    requireInteraction: data.urgent === true, lang: 'vi',
  }));
});

sw.addEventListener('notificationclick', (ev) => {
  ev.notification.close();
  const url = ev.notification.data?.url ?? HOME;
  ev.waitUntil(sw.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((list) => {
    const open = list.find((c) => new URL(c.url).pathname.startsWith(HOME));
    return open ? open.focus() : sw.clients.openWindow(url);
  }));
});
