import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../db/client.js';
import { readVapidKeys, saveSubscription, savePrefs } from '../../db/repositories/web-push.js';
import { createLogger } from '../../src/logger.js';
import { createPushSender } from '../../src/push/sender.js';
import { ensureVapidKeys } from '../../src/push/vapid.js';
import { createManualClock, type ManualClock } from '../../src/time/clock.js';
import { startFakePushService } from '../fakes/web-push/endpoint.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';
import { seedMiniNetwork, type MiniNetwork } from '../helpers/directory-fixture.js';
import { createFlowDriver } from '../helpers/flow-driver.js';
import { testBox } from '../helpers/secrets.js';

const REPORTER = '101';
const HEALTH = '201';
const logger = createLogger({ level: 'silent', secrets: [] });
/** 23:00 on 7 December 2026 in Huế (UTC+7): inside the quiet hours 22:00–06:30. */
const NIGHT = '2026-12-07T16:00:00.000Z';
/** 06:30 on 8 December in Huế: the quiet hours end. */
const MORNING = '2026-12-07T23:30:00.000Z';

describe.each(testDialects())('a push held back by quiet hours is sent when they end, unless no longer relevant (%s)', (dialect) => {
  let t: TestDb;
  let db: Db;
  let net: MiniNetwork;
  let clock: ManualClock;
  let bot: ReturnType<typeof createFlowDriver>;
  let push: Awaited<ReturnType<typeof startFakePushService>>;
  let endpoint: string;

  beforeAll(async () => { push = await startFakePushService(); });
  afterAll(async () => { await push.stop(); });
  beforeEach(async () => {
    t = await createTestDb(dialect);
    db = t.db;
    net = await seedMiniNetwork(db);
    clock = createManualClock(NIGHT);
    bot = createFlowDriver(db, clock);
    await bot.command(REPORTER, 'start', 'inv-pv1');
    await bot.command(HEALTH, 'start', 'inv-pn-syt');
    await ensureVapidKeys(db, clock.now(), testBox);
    const sub = push.newSubscription();
    endpoint = sub.endpoint;
    await saveSubscription(db, { personId: net.healthSpokesId, endpoint, ...sub.keys }, NIGHT);
    await savePrefs(db, { person_id: net.healthSpokesId, events: JSON.stringify(['inquiry', 'reminder', 'escalation', 'reply']), quiet_from: '22:00', quiet_to: '06:30', channel: 'both', updated_at: NIGHT });
  });
  afterEach(async () => { await t.drop(); });

  /** A sender as a worker process starts one (a new one: what a restart does). */
  const newSender = async () => createPushSender({ db, logger, clock, keys: (await readVapidKeys(db, testBox))!, subject: 'mailto:ops@example.vn', agent: push.agent });
  const pushEvent = async (code: string) => db.selectFrom('push_events').innerJoin('inquiries', 'inquiries.id', 'push_events.inquiry_id')
    .select(['push_events.status', 'push_events.outcome', 'push_events.not_before']).where('inquiries.code', '=', code).where('push_events.person_id', '=', net.healthSpokesId)
    .executeTakeFirstOrThrow();
  async function ask(question: string): Promise<string> {
    await bot.say(REPORTER, question);
    await bot.press(REPORTER, 'Y tế');
    await bot.press(REPORTER, 'Gửi');
    return (await db.selectFrom('inquiries').select('code').orderBy('id', 'desc').executeTakeFirstOrThrow()).code!;
  }

  it('waits in the database through the night and a restart, and goes out once at 06:30', async () => {
    const code = await ask('Số ca sốt xuất huyết ở Huế tuần này là bao nhiêu?');
    // The chat message went at once (the flow driver delivered it); the push waits.
    expect(bot.inbox(HEALTH).some((m) => m.text.includes(code))).toBe(true);
    await (await newSender()).drain();
    expect(await pushEvent(code)).toEqual({ status: 'pending', outcome: 'quiet', not_before: MORNING });
    expect(push.pushesTo(endpoint)).toEqual([]);

    clock.set('2026-12-07T23:29:00.000Z'); // 06:29: still quiet
    await (await newSender()).drain();
    expect(push.pushesTo(endpoint)).toEqual([]);

    clock.set(MORNING); // a new process (the old one stopped overnight) finds the held push
    const sender = await newSender();
    await sender.drain();
    await sender.drain();
    expect(push.pushesTo(endpoint)).toHaveLength(1);
    expect(JSON.parse(push.pushesTo(endpoint)[0]!.payload)).toMatchObject({ title: `Câu hỏi mới ${code}`, urgent: false });
    expect(await pushEvent(code)).toMatchObject({ status: 'done', outcome: 'sent' });
    expect(push.problems).toEqual([]);
  });

  it('is not sent when the question was answered before the quiet hours ended', async () => {
    const code = await ask('Lịch tiêm vắc-xin sởi cho trẻ thế nào?');
    await (await newSender()).drain();
    expect((await pushEvent(code)).status).toBe('pending');
    // Answered at 05:00 (a colleague was up), from the chat message.
    clock.set('2026-12-07T22:00:00.000Z');
    const notice = bot.inbox(HEALTH).find((m) => m.text.includes(code))!;
    await bot.say(HEALTH, 'Lịch tiêm sởi: 9 tháng và 18 tháng tuổi.', notice.messageId);
    await bot.press(HEALTH, 'Gửi câu trả lời');
    expect((await db.selectFrom('inquiries').select('status').where('code', '=', code).executeTakeFirstOrThrow()).status).toBe('answered');

    clock.set(MORNING);
    await (await newSender()).drain();
    expect(await pushEvent(code)).toMatchObject({ status: 'done', outcome: 'stale' });
    expect(push.pushesTo(endpoint)).toEqual([]);
  });

  it('quiet hours turned off in the night: the held push still waits for the end it was given, then goes', async () => {
    const code = await ask('Kế hoạch diệt lăng quăng tháng 12?');
    await (await newSender()).drain();
    await savePrefs(db, { person_id: net.healthSpokesId, events: JSON.stringify(['inquiry']), quiet_from: null, quiet_to: null, channel: 'both', updated_at: NIGHT });
    clock.set('2026-12-07T20:00:00.000Z');
    await (await newSender()).drain();
    expect(push.pushesTo(endpoint)).toEqual([]);
    clock.set(MORNING);
    await (await newSender()).drain();
    expect(await pushEvent(code)).toMatchObject({ status: 'done', outcome: 'sent' });
    expect(push.pushesTo(endpoint)).toHaveLength(1);
  });
});
