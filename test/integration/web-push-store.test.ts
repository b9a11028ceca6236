import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecretBox, SecretsKeyError } from '../../db/secret-box.js';
import { testBox } from '../helpers/secrets.js';
import {
  claimDelivery, findPushEventByKey, insertPushEvent, listSubscriptions, purgePushEvents, readVapidKeys, readVapidPublicKey, resetVapidKeys, saveSubscription,
} from '../../db/repositories/web-push.js';
import { findOutbox, insertOutboxRows, insertOutboxWithPush } from '../../db/repositories/outbox.js';
import { createLogger } from '../../src/logger.js';
import { createPushSender } from '../../src/push/sender.js';
import { ensureVapidKeys } from '../../src/push/vapid.js';
import { createManualClock } from '../../src/time/clock.js';
import { startFakePushService } from '../fakes/web-push/endpoint.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';

const logger = createLogger({ level: 'silent', secrets: [] });

describe.each(testDialects())('web push store and sender (%s)', (dialect) => {
  let t: TestDb;
  let push: Awaited<ReturnType<typeof startFakePushService>>;
  const clock = createManualClock('2026-12-07T03:00:00.000Z');
  beforeAll(async () => {
    t = await createTestDb(dialect);
    push = await startFakePushService();
  });
  afterAll(async () => {
    await t.drop();
    await push.stop();
  });

  const event = (key: string, personId: number) => insertPushEvent(t.db, {
    event_key: key, person_id: personId, kind: 'reminder', urgent: 0, title: 'Nhắc hạn trả lời Q-7', body: 'còn 4 giờ', inquiry_id: null,
    status: 'pending', outcome: null, attempts: 0, created_at: clock.now().toISOString(), done_at: null,
  });

  it('a push event is written beside its outbox row only for a person with a browser subscribed, keyed by the row, in one statement on PostgreSQL; a key already written stays as it was', async () => {
    const at = clock.now().toISOString();
    const person = await t.db.insertInto('persons').values({
      full_name: 'Lê Văn Y Tế', code: null, outlet_id: null, outlet_name: null, press_card: null, phone: null, tags: null, locale: null, invite_code: null, invite_used_at: null, created_at: at, updated_at: at,
    }).returning('id').executeTakeFirstOrThrow();
    const identity = await t.db.insertInto('identities').values({
      platform: 'telegram', platform_user_id: 'beside', chat_id: 'beside', person_id: person.id, display_name: null, locale: null, dialog: null,
      unreachable_at: null, unreachable_reason: null, last_inbound_at: null, created_at: at, updated_at: at,
    }).returning('id').executeTakeFirstOrThrow();
    const row = {
      queue: 'outbox' as const, identity_id: identity.id, platform: 'telegram' as const, chat_id: 'beside', text: 'Câu hỏi mới', buttons: null, reply_to_message_id: null, reply_to_outbox_id: null,
      inquiry_id: null, ref_kind: null, ref_person_id: person.id, report_unreachable: 1, status: 'pending' as const, attempts: 0, parts_sent: 0, sent_message_id: null, sent_message_ids: null,
      last_error: null, created_at: at, sent_at: null,
    };
    const beside = { person_id: person.id, kind: 'inquiry' as const, urgent: 1, title: 'Câu hỏi mới Q-1', body: 'Câu hỏi mới', inquiry_id: null, status: 'pending' as const, outcome: null, attempts: 0, created_at: at, done_at: null };
    // Nobody subscribed yet: the row is written, no push (the sender would only close it).
    const unseen = await insertOutboxWithPush(t.db, row, beside);
    expect(await findOutbox(t.db, unseen)).toMatchObject({ id: unseen, chat_id: 'beside', status: 'pending' });
    expect(await findPushEventByKey(t.db, `outbox-${unseen}`)).toBeUndefined();
    await saveSubscription(t.db, { personId: person.id, endpoint: 'https://push.example.vn/beside', p256dh: 'k', auth: 'a' }, at);
    const before = t.statements();
    const id = await insertOutboxWithPush(t.db, row, beside);
    expect(t.statements() - before).toBe(dialect === 'postgres' ? 1 : 2);
    expect(await findPushEventByKey(t.db, `outbox-${id}`)).toMatchObject({
      person_id: person.id, kind: 'inquiry', urgent: 1, title: 'Câu hỏi mới Q-1', body: 'Câu hỏi mới', inquiry_id: null, status: 'pending', outcome: null, attempts: 0, created_at: at, done_at: null,
    });
    expect(await findOutbox(t.db, id)).toMatchObject({ id, chat_id: 'beside', status: 'pending' });
    // The next row's key taken already (a flow run again): the row is written, the push left as it was.
    await event(`outbox-${id + 1}`, person.id);
    const next = await insertOutboxWithPush(t.db, row, { ...beside, title: 'khác' });
    expect(next).toBe(id + 1);
    expect(await findPushEventByKey(t.db, `outbox-${next}`)).toMatchObject({ title: 'Nhắc hạn trả lời Q-7' });
    expect(await insertOutboxWithPush(t.db, row, undefined)).toBe(next + 1);
    // The tests below send what is pending: these were only about the write.
    await t.db.deleteFrom('push_events').where('event_key', 'like', 'outbox-%').execute();
    await t.db.deleteFrom('push_subscriptions').where('person_id', '=', person.id).execute();
  });

  it('several rows are written together (one statement on PostgreSQL) in the order given, each push keyed by its own row, only where a browser is subscribed', async () => {
    const at = clock.now().toISOString();
    const person = async (name: string) => (await t.db.insertInto('persons').values({
      full_name: name, code: null, outlet_id: null, outlet_name: null, press_card: null, phone: null, tags: null, locale: null, invite_code: null, invite_used_at: null, created_at: at, updated_at: at,
    }).returning('id').executeTakeFirstOrThrow()).id;
    const [subscribed, unsubscribed] = [await person('Có trình duyệt'), await person('Không trình duyệt')];
    await saveSubscription(t.db, { personId: subscribed, endpoint: 'https://push.example.vn/many', p256dh: 'k', auth: 'a' }, at);
    const identity = await t.db.insertInto('identities').values({
      platform: 'telegram', platform_user_id: 'many', chat_id: 'many', person_id: subscribed, display_name: null, locale: null, dialog: null,
      unreachable_at: null, unreachable_reason: null, last_inbound_at: null, created_at: at, updated_at: at,
    }).returning('id').executeTakeFirstOrThrow();
    const row = (chatId: string, text: string) => ({
      queue: 'outbox' as const, identity_id: identity.id, platform: 'telegram' as const, chat_id: chatId, text, buttons: null, reply_to_message_id: null, reply_to_outbox_id: null,
      inquiry_id: null, ref_kind: null, ref_person_id: null, report_unreachable: 1, status: 'pending' as const, attempts: 0, parts_sent: 0,
      sent_message_id: null, sent_message_ids: null, last_error: null, created_at: at, sent_at: null,
    });
    const beside = (personId: number, title: string) => ({ person_id: personId, kind: 'inquiry' as const, urgent: 0, title, body: title, inquiry_id: null, status: 'pending' as const, outcome: null, attempts: 0, created_at: at, done_at: null });
    const before = t.statements();
    const ids = await insertOutboxRows(t.db, [
      { row: row('many-a', 'một'), push: undefined },
      { row: row('many-b', 'hai'), push: beside(subscribed, 'Đẩy hai') },
      { row: row('many-a', 'ba'), push: beside(unsubscribed, 'Không đẩy') },
      { row: row('many-c', 'bốn'), push: beside(subscribed, 'Đẩy bốn') },
    ]);
    if (dialect === 'postgres') expect(t.statements() - before).toBe(1);
    expect(ids).toHaveLength(4);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    expect(await Promise.all(ids.map(async (id) => (await findOutbox(t.db, id))?.text))).toEqual(['một', 'hai', 'ba', 'bốn']);
    expect(await findPushEventByKey(t.db, `outbox-${ids[0]}`)).toBeUndefined();
    expect(await findPushEventByKey(t.db, `outbox-${ids[1]}`)).toMatchObject({ person_id: subscribed, title: 'Đẩy hai' });
    expect(await findPushEventByKey(t.db, `outbox-${ids[2]}`)).toBeUndefined();
    expect(await findPushEventByKey(t.db, `outbox-${ids[3]}`)).toMatchObject({ person_id: subscribed, title: 'Đẩy bốn' });
    expect(await insertOutboxRows(t.db, [])).toEqual([]);
    await t.db.deleteFrom('push_events').where('event_key', 'like', 'outbox-%').execute();
    await t.db.deleteFrom('push_subscriptions').where('person_id', '=', subscribed).execute();
  });

  it('VAPID keys are made once, whoever starts first', async () => {
    const [a, b] = await Promise.all([ensureVapidKeys(t.db, clock.now(), testBox), ensureVapidKeys(t.db, clock.now(), testBox)]);
    expect(a).toEqual(b);
    expect(await readVapidKeys(t.db, testBox)).toEqual({ publicKey: a.publicKey, privateKey: a.privateKey });
    const row = await t.db.selectFrom('web_push_keys').select('private_key').executeTakeFirstOrThrow();
    expect(row.private_key).toMatch(/^v1\./);
    expect(row.private_key).not.toContain(a.privateKey);
  });

  it('a private key stored in clear by an earlier version is sealed at the next start; a wrong key throws and replaces nothing', async () => {
    const keys = (await readVapidKeys(t.db, testBox))!;
    await t.db.updateTable('web_push_keys').set({ private_key: keys.privateKey }).where('id', '=', 1).execute();
    const first = await ensureVapidKeys(t.db, clock.now(), testBox);
    expect(first).toEqual({ ...keys, sealedNow: true });
    const row = await t.db.selectFrom('web_push_keys').selectAll().executeTakeFirstOrThrow();
    expect(row.private_key).toMatch(/^v1\./);
    expect(row.private_key).not.toContain(keys.privateKey);
    expect(await ensureVapidKeys(t.db, clock.now(), testBox)).toEqual({ ...keys, sealedNow: false });
    await expect(ensureVapidKeys(t.db, clock.now(), createSecretBox(randomBytes(32)))).rejects.toBeInstanceOf(SecretsKeyError);
    expect(await t.db.selectFrom('web_push_keys').selectAll().execute()).toEqual([row]);
  });

  it('reset-keys (a lost secrets key): the keys and every subscription go at once; the next start makes a new pair', async () => {
    const s = push.newSubscription();
    await saveSubscription(t.db, { personId: 44, endpoint: s.endpoint, ...s.keys }, clock.now().toISOString());
    const old = (await readVapidKeys(t.db, testBox))!;
    expect(await resetVapidKeys(t.db)).toBeGreaterThanOrEqual(1);
    expect(await listSubscriptions(t.db, 44)).toEqual([]);
    expect(await readVapidPublicKey(t.db)).toBeUndefined();
    const fresh = await ensureVapidKeys(t.db, clock.now(), testBox);
    expect(fresh.publicKey).not.toBe(old.publicKey);
  });

  it('an endpoint belongs to whoever subscribed it last; a delivery is claimed once; an event key is written once', async () => {
    const s = push.newSubscription();
    await saveSubscription(t.db, { personId: 41, endpoint: s.endpoint, ...s.keys }, clock.now().toISOString());
    await saveSubscription(t.db, { personId: 42, endpoint: s.endpoint, ...s.keys }, clock.now().toISOString());
    expect(await listSubscriptions(t.db, 41)).toEqual([]);
    expect((await listSubscriptions(t.db, 42)).map((r) => r.endpoint)).toEqual([s.endpoint]);
    const claims = await Promise.all([1, 2, 3].map(() => claimDelivery(t.db, 999, 1, clock.now().toISOString())));
    expect(claims.filter(Boolean)).toHaveLength(1);
    await event('outbox-1', 42);
    await event('outbox-1', 42);
    const rows = await t.db.selectFrom('push_events').select('id').where('event_key', '=', 'outbox-1').execute();
    expect(rows).toHaveLength(1);
  });

  it('a push service fault (500) is retried on the next round and then delivered once', async () => {
    const s = push.newSubscription();
    await saveSubscription(t.db, { personId: 43, endpoint: s.endpoint, ...s.keys }, clock.now().toISOString());
    await event('outbox-2', 43);
    const sender = createPushSender({ db: t.db, logger, clock, keys: (await readVapidKeys(t.db, testBox))!, subject: 'mailto:ops@example.vn', agent: push.agent });
    push.respond(s.endpoint, 500);
    await sender.drain();
    expect(await findPushEventByKey(t.db, 'outbox-2')).toMatchObject({ status: 'pending', attempts: 1 });
    push.respond(s.endpoint, 201);
    await sender.drain();
    await sender.drain();
    expect(await findPushEventByKey(t.db, 'outbox-2')).toMatchObject({ status: 'done', outcome: 'sent' });
    expect(push.pushesTo(s.endpoint).map((r) => r.status)).toEqual([500, 201]);
    expect(JSON.parse(push.pushesTo(s.endpoint)[1]!.payload)).toMatchObject({ title: 'Nhắc hạn trả lời Q-7', body: 'còn 4 giờ', urgent: false });
    expect(push.problems).toEqual([]);
  });

  it('nobody subscribed: the event is closed as such, nothing sent', async () => {
    await event('outbox-3', 77);
    const sender = createPushSender({ db: t.db, logger, clock, keys: (await readVapidKeys(t.db, testBox))!, subject: 'mailto:ops@example.vn', agent: push.agent });
    await sender.drain();
    expect(await findPushEventByKey(t.db, 'outbox-3')).toMatchObject({ status: 'done', outcome: 'no_subscription' });
  });

  it('finished events are purged after their keeping time, with their deliveries; pending ones stay', async () => {
    await event('outbox-4', 78);
    const later = new Date(clock.now().getTime() + 31 * 86_400_000).toISOString();
    expect(await purgePushEvents(t.db, later)).toBeGreaterThanOrEqual(2);
    expect(await findPushEventByKey(t.db, 'outbox-2')).toBeUndefined();
    expect(await findPushEventByKey(t.db, 'outbox-4')).toMatchObject({ status: 'pending' });
    expect(await t.db.selectFrom('push_deliveries').select('event_id').where('event_id', '<>', 999).execute()).toEqual([]);
  });
});
