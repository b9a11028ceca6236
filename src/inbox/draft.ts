import type { WebStore } from '../../adapters/web/store.js';
import type { Db } from '../../db/client.js';
import { findDraft } from '../../db/repositories/answers.js';
import { findIdentityOf } from '../../db/repositories/identities.js';
import { A, parseId } from '../../flows/buttons.js';
import { InboxError } from './api.js';
import type { InboxReader } from './scope.js';

const gone = () => new InboxError(404, 'no_draft', 'Bản nháp này không còn (đã gửi, đã hủy hoặc đã được thay).', 'This draft is gone (sent, cancelled or replaced).');

/**
 * The text of the answer draft that preview message `messageId` of the reader's web chat shows,
 * as the spokesperson wrote it (no heading, signature or footer): what the page's edit box starts
 * from. Only a draft of this chat's own identity; 404 `no_draft` when it was sent, cancelled or
 * replaced (its preview's send button names the draft: `flows/answer/confirm.ts`).
 */
export async function draftOfPreview(db: Db, store: WebStore, r: InboxReader, messageId: string): Promise<{ text: string; correcting: boolean }> {
  const entry = await store.findMessage(r.session.ownerId, messageId);
  const send = entry?.from === 'bot' ? entry.buttons?.flat().find((b) => b.action === A.answerSend && b.state === undefined) : undefined;
  const draftId = send ? parseId(send.payload) : undefined;
  const identity = draftId === undefined ? undefined : await findIdentityOf(db, 'web', r.session.ownerId);
  const draft = identity && draftId !== undefined ? await findDraft(db, draftId, identity.id) : undefined;
  if (!draft) throw gone();
  return { text: draft.text, correcting: Boolean(draft.correcting) };
}
