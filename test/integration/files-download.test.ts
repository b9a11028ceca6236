import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachFiles } from '../../db/repositories/attachments.js';
import { createFolderBlobStore } from '../../src/files/blob-store.js';
import { createDownloadRoute, downloadHeaders } from '../../src/files/download-route.js';
import { createLinkSigner } from '../../src/files/links.js';
import { createFileService } from '../../src/files/service.js';
import { loadSampleNetwork } from '../../src/import/sample.js';
import { createLogger } from '../../src/logger.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';
import { readAll, sample, sha256, streamOf } from '../helpers/files.js';

const NOW = new Date('2026-12-05T03:00:00Z');
const logger = createLogger({ level: 'silent' });

describe.each(testDialects())('files: signed download links (%s)', (dialect) => {
  let t: TestDb;
  let root: string;
  const signer = createLinkSigner('download-test-secret-0123456789abcdef');
  let route: ReturnType<typeof createDownloadRoute>;
  let fileId: number;
  let reporterId: number;
  let strangerId: number;
  const pdf = sample.pdf(200_000, 5);

  beforeAll(async () => {
    t = await createTestDb(dialect);
    await loadSampleNetwork(t.db, NOW);
    root = mkdtempSync(join(tmpdir(), 'files-dl-'));
    const files = createFileService({ db: t.db, store: createFolderBlobStore(join(root, 'blobs')), tmpDir: join(root, 'in'), limits: { maxFileBytes: 1e6, maxMessageBytes: 2e6, maxFilesPerMessage: 5 }, logger, now: () => NOW });
    route = createDownloadRoute({ db: t.db, files, signer, logger, now: () => NOW });
    const stored = await files.save({ bytes: streamOf(pdf), name: 'Công văn "số 5".pdf', sourceKey: 'test:dl', fallbackName: 'tep' });
    if (!('attachmentId' in stored)) throw new Error('not stored');
    fileId = stored.attachmentId;
    const persons = await t.db.selectFrom('persons').select(['id', 'code']).execute();
    reporterId = persons.find((p) => p.code === 'PV-HUE-01')!.id;
    strangerId = persons.find((p) => p.code === 'PV-TTO-01')!.id;
    const identity = await t.db.insertInto('identities').values({
      platform: 'telegram', platform_user_id: '9001', chat_id: '9001', person_id: reporterId, display_name: null, locale: null,
      dialog: null, unreachable_at: null, unreachable_reason: null, last_inbound_at: null, created_at: NOW.toISOString(), updated_at: NOW.toISOString(),
    }).returning('id').executeTakeFirstOrThrow();
    const inquiry = await t.db.insertInto('inquiries').values({
      code: 'Q-1', reporter_person_id: reporterId, reporter_identity_id: identity.id, origin_chat_id: '1', origin_message_id: '1', topic_id: null, org_id: null,
      suggested_org_id: null, status: 'assigned', question: 'q', received_at: NOW.toISOString(), deadline_class: null, rule_id: null, legal_basis: null,
      due_at: null, urgent_requested: 0, merged_into_id: null, decline_ground: null, decline_reason: null, reject_reason: null, handler_person_id: null,
      acknowledged_at: null, first_response_at: null, answered_at: null, closed_at: null, resume_status: null, rating: null, rated_at: null,
      created_at: NOW.toISOString(), updated_at: NOW.toISOString(),
    }).returning('id').executeTakeFirstOrThrow();
    await attachFiles(t.db, [fileId], { inquiryId: inquiry.id, senderPersonId: null, senderIdentityId: null });
  });
  afterAll(async () => { await t.drop(); await rm(root, { recursive: true, force: true }); });

  const get = (query: string) => route.handle({ headers: {}, rawBody: Buffer.alloc(0), ip: '127.0.0.1', query: Object.fromEntries(new URLSearchParams(query)) });
  const link = (personId: number, expiresAtS = NOW.getTime() / 1000 + 3600) => signer.sign({ attachmentId: fileId, personId, expiresAtS });

  it("the inquiry's reporter downloads it as an attachment, nosniff, with its real type, byte for byte", async () => {
    const res = await get(link(reporterId));
    expect(res.status).toBe(200);
    expect(res.headers).toMatchObject({ 'content-type': 'application/pdf', 'x-content-type-options': 'nosniff', 'content-length': String(pdf.length) });
    expect(res.headers?.['content-disposition']).toBe(`attachment; filename="Cong van _so 5_.pdf"; filename*=UTF-8''${encodeURIComponent('Công văn _số 5_.pdf')}`);
    expect(sha256(await readAll((res as { body: Readable }).body))).toBe(sha256(pdf));
  });

  it('someone outside the inquiry is refused even with a valid link; forged and expired links are refused', async () => {
    expect((await get(link(strangerId))).status).toBe(403);
    expect((await get(link(reporterId).replace(/s=[^&]+/, 's=AAAA'))).status).toBe(403);
    expect((await get(link(reporterId, NOW.getTime() / 1000 - 1))).status).toBe(410);
    const refused = await get(link(strangerId));
    expect(String((refused as { body: string }).body)).toContain('Bạn không còn quyền xem tệp này.');
  });

  it('names in headers are safe', () => {
    expect(downloadHeaders({ name: 'a\r\nb.pdf', mime_type: 'application/pdf', size_bytes: 1 })['content-disposition']).not.toMatch(/[\r\n]/);
  });
});
