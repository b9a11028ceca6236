import { randomBytes } from 'node:crypto';
import { computeZaloSignature } from '../../../adapters/zalo-oa/signature.js';

/** One webhook POST the driver made, with the time until the bot answered. */
export interface WebhookDelivery {
  msgId?: string;
  status: number;
  /** Time from sending the request to the bot's answer, in ms (Zalo wants ≤ ~2 s). */
  ackMs: number;
}

/** Options of {@link createZaloWebhookDriver}. */
export interface ZaloWebhookDriverOptions {
  /** Full URL of the bot's `/webhooks/zalo-oa`. */
  url: string;
  appId: string;
  oaSecretKey: string;
  /** The OA's own id (`recipient.id`). Default a 19-digit id. */
  oaId?: string;
  /** Write ids as bare JSON numbers (some Zalo payloads do), to test lossless parsing. */
  numericIds?: boolean;
  /** Called for every user event before it is posted (e.g. to reopen the fake's window). */
  onUserEvent?(userId: string): void;
}

interface Sent { rawBody: string; headers: Record<string, string> }

/**
 * Plays Zalo's side of the webhook: builds events of Zalo's shapes, signs them with
 * sha256(appId + body + timestamp + OA secret key) as `mac=<hex>`, posts them, and can replay one
 * byte for byte.
 */
export function createZaloWebhookDriver(o: ZaloWebhookDriverOptions) {
  const deliveries: WebhookDelivery[] = [];
  const byMsgId = new Map<string, Sent>();
  const oaId = o.oaId ?? '4318741890352471234';

  const post = async (rawBody: string, headers: Record<string, string>, msgId?: string): Promise<WebhookDelivery> => {
    const started = performance.now();
    const res = await fetch(o.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: rawBody });
    await res.arrayBuffer();
    const delivery = { ...(msgId ? { msgId } : {}), status: res.status, ackMs: performance.now() - started };
    deliveries.push(delivery);
    return delivery;
  };

  const signed = (rawBody: string, timestamp: string) => ({
    'x-zevent-signature': `mac=${computeZaloSignature(o.appId, rawBody, timestamp, o.oaSecretKey)}`,
  });

  const serialise = (event: Record<string, unknown>): string => {
    const json = JSON.stringify(event);
    // Bare numbers for ids, as a payload with int64 ids would carry them.
    return o.numericIds ? json.replace(/"(id|user_id_by_app)":"(\d+)"/g, '"$1":$2') : json;
  };

  const userEvent = async (eventName: string, userId: string, message: Record<string, unknown>, at = new Date()) => {
    o.onUserEvent?.(userId);
    const msgId = randomBytes(16).toString('hex');
    const timestamp = String(at.getTime());
    const rawBody = serialise({
      app_id: o.appId, user_id_by_app: `9${userId}`, event_name: eventName, timestamp,
      sender: { id: userId }, recipient: { id: oaId }, message: { ...message, msg_id: msgId },
    });
    const headers = signed(rawBody, timestamp);
    byMsgId.set(msgId, { rawBody, headers });
    return { msgId, ...(await post(rawBody, headers, msgId)) };
  };

  return {
    deliveries: deliveries as readonly WebhookDelivery[],
    /** `user_send_text`, optionally quoting one of the OA's messages. */
    userText: (userId: string, text: string, opts: { quoteMsgId?: string; at?: Date } = {}) =>
      userEvent('user_send_text', userId, { text, ...(opts.quoteMsgId ? { quote_msg_id: opts.quoteMsgId } : {}) }, opts.at),
    /** `user_send_image` with the photo at `url` (Zalo's shape: `attachments[].payload.{url, thumbnail}`), and a caption. */
    userImage: (userId: string, url = 'https://example.invalid/a.jpg', caption?: string) => userEvent('user_send_image', userId, {
      ...(caption !== undefined ? { text: caption } : {}), attachments: [{ type: 'image', payload: { url, thumbnail: url } }],
    }),
    /** `user_send_file`: `payload.{url, name, size (a string), checksum, type (the extension)}`. */
    userFile: (userId: string, file: { url: string; name: string; size: number }) => userEvent('user_send_file', userId, {
      attachments: [{ type: 'file', payload: { url: file.url, name: file.name, size: String(file.size), checksum: randomBytes(16).toString('hex'), type: file.name.split('.').pop() ?? '' } }],
    }),
    /** `user_send_audio` (a voice note) or `user_send_video`: `payload.url`. */
    userMedia: (userId: string, eventName: 'user_send_audio' | 'user_send_video' | 'user_send_gif', url: string) => userEvent(eventName, userId, {
      attachments: [{ type: eventName.slice('user_send_'.length), payload: { url, thumbnail: url } }],
    }),
    /** `user_send_sticker`: `payload.{id, url}` (nothing the bot keeps). */
    userSticker: (userId: string) => userEvent('user_send_sticker', userId, {
      attachments: [{ type: 'sticker', payload: { id: '21584', url: 'https://zalo-api.zadn.vn/api/emoticon/sticker/webpc?eid=21584&size=130' } }],
    }),
    /** `follow` (ignored by the bot). */
    follow: (userId: string) => {
      const timestamp = String(Date.now());
      const rawBody = serialise({ app_id: o.appId, event_name: 'follow', timestamp, follower: { id: userId }, oa_id: oaId, source: 'oa_profile' });
      return post(rawBody, signed(rawBody, timestamp));
    },
    /** Posts an earlier event again, byte for byte (Zalo's retry). */
    replay: (msgId: string) => {
      const original = byMsgId.get(msgId);
      if (!original) throw new Error(`driver: no event with msg_id ${msgId}`);
      return post(original.rawBody, original.headers, msgId);
    },
    /** Posts any body with any headers (bad signatures, stale events). */
    postRaw: post,
    /** The headers Zalo would send for this body and timestamp. */
    signedHeaders: signed,
    /** A signed `user_send_text` body (not posted) for hand-made requests. */
    buildText(userId: string, text: string, at = new Date()): { rawBody: string; timestamp: string; msgId: string } {
      const msgId = randomBytes(16).toString('hex');
      const timestamp = String(at.getTime());
      const rawBody = serialise({ app_id: o.appId, event_name: 'user_send_text', timestamp, sender: { id: userId }, recipient: { id: oaId }, message: { text, msg_id: msgId } });
      return { rawBody, timestamp, msgId };
    },
  };
}

export type ZaloWebhookDriver = ReturnType<typeof createZaloWebhookDriver>;
