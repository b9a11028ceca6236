// The follower's view of another reporter's question (issue #14): read-only, what the server
// gives a follower (`GET inbox/followed`) — the question, its status and due standing, its
// official answers signed by their authors — never who asked. thread.js shows it in the thread's
// place; this module gives what differs: the question as the first item, the signature, and the
// bar with [Thôi theo dõi].
import { runAction } from './action-result.js';
import { el } from './dom.js';
import { lang } from './i18n.js';
import { it } from './inbox-i18n.js';

/** The API path of the view of inquiry `id`: the follower's, or the full thread. */
export const viewPath = (id, follower) => (follower ? `/inbox/followed?id=${id}` : `/inbox/thread?id=${id}`);

/** The question itself, first, with no author (the asker is never named to a follower). */
export function followerItems(data) {
  const q = data.inquiry;
  return [{ key: 'entry:question', source: 'entry', kind: 'question', text: q.question, by: null, byPersonId: null, at: q.receivedAt }, ...data.items];
}

/** Who signed an answer, as its signature reads: "name, position" (the position in the page's language). */
export function signedBy(item) {
  const title = lang.current === 'en' && item.byTitleEn ? item.byTitleEn : item.byTitle;
  return item.by && title ? `${item.by}, ${title}` : item.by;
}

/**
 * The bar under a followed question: what this view is, and [Thôi theo dõi] through the
 * workspace's action API (the same as `/unfollow Q-12`); once the bot confirms, `done()`.
 */
export function followerBar(code, out, done) {
  const button = el('button', { type: 'button', className: 'small-button secondary', onclick: () => void unfollow(button, code, out, done) }, it('unfollow'));
  return el('div', { className: 'follower-bar' }, el('p', { className: 'hint' }, it('followerNote')), button);
}

async function unfollow(button, code, out, done) {
  button.disabled = true;
  const answer = await runAction({ action: 'unfollow', code }, out);
  if (answer === undefined) { if (button.isConnected) button.disabled = false; return; }
  done();
}
