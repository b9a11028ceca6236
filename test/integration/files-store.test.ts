import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAttachment } from '../../db/repositories/attachments.js';
import { createFolderBlobStore, BlobMissingError, type BlobStore } from '../../src/files/blob-store.js';
import { createClamdScanner } from '../../src/files/clamd.js';
import { createS3BlobStore } from '../../src/files/s3-store.js';
import { createFileService, type FileService } from '../../src/files/service.js';
import { createLogger } from '../../src/logger.js';
import { createTestDb, testDialects, type TestDb } from '../helpers/db.js';
import { startFakeClamd, type FakeClamd } from '../helpers/fake-clamd.js';
import { readAll, sample, sha256, streamOf } from '../helpers/files.js';

const logger = createLogger({ level: 'silent' });
const LIMITS = { maxFileBytes: 1_000_000, maxMessageBytes: 2_000_000, maxFilesPerMessage: 5 };

function modeOf(path: string): number {
  return statSync(path).mode & 0o777;
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? [join(dir, d.name), ...walk(join(dir, d.name))] : [join(dir, d.name)]));
}

describe.each(testDialects())('files: the service over a private folder (%s)', (dialect) => {
  let t: TestDb;
  let root: string;
  let clamd: FakeClamd;
  let files: FileService;
  let n = 0;
  const key = () => `test:${++n}`;

  beforeAll(async () => {
    t = await createTestDb(dialect);
    root = mkdtempSync(join(tmpdir(), 'files-store-'));
    clamd = await startFakeClamd();
    files = createFileService({
      db: t.db, store: createFolderBlobStore(join(root, 'blobs')), tmpDir: join(root, 'incoming'), limits: LIMITS, logger,
      now: () => new Date('2026-12-05T03:00:00Z'), scanner: createClamdScanner(clamd.address),
    });
  });
  afterAll(async () => { await clamd.close(); await t.drop(); await rm(root, { recursive: true, force: true }); });

  it('stores a PDF once per checksum, privately (folders 700, files 600), and reads it back byte for byte', async () => {
    const pdf = sample.pdf(300_000, 1);
    const a = await files.save({ bytes: streamOf(pdf), name: 'Công văn 12/UBND.pdf', sourceKey: key(), fallbackName: 'tep' });
    const b = await files.save({ bytes: streamOf(pdf), name: 'copy.pdf', sourceKey: key(), fallbackName: 'tep' });
    expect(a).toMatchObject({ name: 'UBND.pdf', mimeType: 'application/pdf', kind: 'document', sizeBytes: pdf.length });
    if (!('attachmentId' in a) || !('attachmentId' in b)) throw new Error('not stored');
    expect(b.attachmentId).not.toBe(a.attachmentId);
    const row = (await findAttachment(t.db, a.attachmentId))!;
    expect(row.sha256).toBe(sha256(pdf));
    expect(row.blob_key).toBe(`sha256/${sha256(pdf)}`);
    expect(sha256(await readAll(await files.open(row)))).toBe(sha256(pdf));
    const stored = walk(join(root, 'blobs'));
    expect(stored.filter((p) => statSync(p).isFile())).toHaveLength(1);
    for (const p of stored) expect(modeOf(p)).toBe(statSync(p).isDirectory() ? 0o700 : 0o600);
    expect(readdirSync(join(root, 'incoming'))).toEqual([]);
  });

  it('the same source stored again (an event processed twice) gives the same row', async () => {
    const sourceKey = key();
    const a = await files.save({ bytes: streamOf(sample.png(3)), sourceKey, fallbackName: 'anh' });
    const b = await files.save({ bytes: streamOf(sample.png(3)), sourceKey, fallbackName: 'anh' });
    expect(b).toEqual(a);
    expect(a).toMatchObject({ name: 'anh.png', kind: 'image' });
  });

  it('stops reading past the limit (too_large), leaving nothing behind', async () => {
    let produced = 0;
    const chunk = sample.pdf(64 * 1024);
    // A sender that never stops: only the limit ends the read.
    const endless = Readable.from((function* () { for (;;) { produced += chunk.length; yield chunk; } })());
    expect(await files.save({ bytes: endless, sourceKey: key(), fallbackName: 'tep' })).toEqual({ refused: 'too_large' });
    expect(produced).toBeLessThan(3_000_000);
    expect(readdirSync(join(root, 'incoming'))).toEqual([]);
  });

  it('refuses a renamed executable and unknown bytes (type_not_allowed)', async () => {
    expect(await files.save({ bytes: streamOf(sample.exe()), name: 'bao-cao.pdf', sourceKey: key(), fallbackName: 'tep' })).toEqual({ refused: 'type_not_allowed' });
    expect(await files.save({ bytes: streamOf(Buffer.from('hello')), name: 'a.docx', sourceKey: key(), fallbackName: 'tep' })).toEqual({ refused: 'type_not_allowed' });
  });

  it('quarantines what the scanner flags (kept apart, refused as infected), and scans every file', async () => {
    const infected = Buffer.concat([sample.pdf(1000), sample.eicar()]);
    const sourceKey = key();
    const before = clamd.scans;
    expect(await files.save({ bytes: streamOf(infected), name: 'x.pdf', sourceKey, fallbackName: 'tep' })).toEqual({ refused: 'infected' });
    expect(clamd.scans).toBe(before + 1);
    const row = await t.db.selectFrom('attachments').selectAll().where('source_key', '=', sourceKey).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'quarantined', blob_key: `quarantine/${sha256(infected)}` });
  });
});

describe('files: blob stores', () => {
  let s3: S3rver;
  let s3Dir: string;
  let stores: Array<[string, BlobStore]>;
  let folderRoot: string;

  beforeAll(async () => {
    s3Dir = mkdtempSync(join(tmpdir(), 's3rver-'));
    folderRoot = mkdtempSync(join(tmpdir(), 'blobs-'));
    s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: s3Dir, configureBuckets: [{ name: 'liaison-files', configs: [] }] });
    const { port } = await s3.run();
    stores = [
      ['folder', createFolderBlobStore(folderRoot)],
      ['s3 (s3rver)', createS3BlobStore({
        endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', bucket: 'liaison-files', prefix: 'test/',
        accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true,
      })],
    ];
  });
  afterAll(async () => {
    await s3.close();
    await rm(s3Dir, { recursive: true, force: true });
    await rm(folderRoot, { recursive: true, force: true });
  });

  it('put, has, open (streamed), delete; a missing key is BlobMissingError', async () => {
    for (const [name, store] of stores) {
      const bytes = sample.pdf(2_500_000, 9);
      const key = `sha256/${sha256(bytes)}`;
      const tmp = join(mkdtempSync(join(tmpdir(), 'put-')), 'f');
      await import('node:fs/promises').then((fs) => fs.writeFile(tmp, bytes));
      expect(await store.has(key), name).toBe(false);
      await store.putFile(key, tmp, bytes.length);
      expect(await store.has(key), name).toBe(true);
      expect(sha256(await readAll(await store.open(key))), name).toBe(sha256(bytes));
      await store.delete(key);
      expect(await store.has(key), name).toBe(false);
      await expect(store.open(key), name).rejects.toBeInstanceOf(BlobMissingError);
      await expect(store.has('../../etc/passwd'), name).rejects.toThrow(/bad key/);
    }
  });
});
