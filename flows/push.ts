import type { Db } from '../db/client.js';
import { findInquiry } from '../db/repositories/inquiries.js';
import type { PushBesideRow } from '../db/repositories/web-push.js';
import type { Identity, Inquiry } from '../db/schema.js';
import type { PushKind } from '../db/schema-push.js';
import { pushTitle } from './copy/push.js';
import { excerpt } from './copy/format.js';

/** Asks for a Web Push beside a chat message to a staff member (see `src/push/`). */
export interface PushSpec {
  kind: PushKind;
  /** The inquiry as the caller holds it in this transaction (its class and code), instead of reading it again. */
  inquiry?: Pick<Inquiry, 'id' | 'deadline_class' | 'code'>;
}

/** Longest push body, in UTF-16 units (push services cap payloads near 4 KB; phones show ~2 lines). */
const BODY_MAX = 180;

/** Deadline classes on a 24-hour legal clock: their pushes ring through quiet hours. */
const URGENT_CLASSES: ReadonlySet<string> = new Set(['incident', 'public_opinion']);

/**
 * The push event that should go with a chat message to the person behind `identity` (written in
 * the flow's transaction beside its outbox row, keyed by it, so it is written once). Undefined for
 * an identity with no person.
 */
export async function pushBeside(
  db: Db, identity: Identity, text: string, locale: string, spec: PushSpec, inquiryId: number | undefined, nowIso: string,
): Promise<PushBesideRow | undefined> {
  if (identity.person_id === null) return undefined;
  const inquiry = inquiryId === undefined ? undefined : spec.inquiry?.id === inquiryId ? spec.inquiry : await findInquiry(db, inquiryId);
  return {
    person_id: identity.person_id, kind: spec.kind,
    urgent: inquiry?.deadline_class && URGENT_CLASSES.has(inquiry.deadline_class) ? 1 : 0,
    title: pushTitle(locale, spec.kind, inquiry?.code ?? ''), body: excerpt(text, BODY_MAX),
    inquiry_id: inquiryId ?? null, status: 'pending', outcome: null, attempts: 0, created_at: nowIso, done_at: null,
  };
}
