import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileFits, type FileCapabilities } from '../../adapters/types.js';
import { detectAllowedType, MAX_NAME_LENGTH, sanitiseFileName } from '../../src/files/checks.js';
import { createClamdScanner, parseClamdAddress, parseClamdAnswer } from '../../src/files/clamd.js';
import { createLinkSigner } from '../../src/files/links.js';
import { startFakeClamd, type FakeClamd } from '../helpers/fake-clamd.js';
import { sample, streamOf } from '../helpers/files.js';

const dir = mkdtempSync(join(tmpdir(), 'files-checks-'));
const fileOf = (name: string, bytes: Buffer) => { const p = join(dir, name); writeFileSync(p, bytes); return p; };

describe('file type by the bytes (file-type), against the allow-list', () => {
  it.each([
    ['a PDF', sample.pdf(), 'application/pdf', 'document'],
    ['a PNG', sample.png(), 'image/png', 'image'],
    ['a JPEG', sample.jpeg(), 'image/jpeg', 'image'],
  ])('%s is allowed', async (_what, bytes, mime, kind) => {
    expect(await detectAllowedType(fileOf(`x-${mime.replace('/', '_')}`, bytes))).toMatchObject({ mimeType: mime, kind });
  });

  it('a renamed executable (bao-cao.pdf that is MZ/PE inside) is refused', async () => {
    expect(await detectAllowedType(fileOf('bao-cao.pdf', sample.exe()))).toBeUndefined();
  });

  it('plain text and unknown bytes are refused', async () => {
    expect(await detectAllowedType(fileOf('note.pdf', Buffer.from('#!/bin/sh\nrm -rf /\n')))).toBeUndefined();
  });
});

describe('file names', () => {
  it('keeps Vietnamese letters (NFC) and forces the detected extension', () => {
    expect(sanitiseFileName('Công văn số 12.pdf', 'pdf', 'tep')).toBe('Công văn số 12.pdf');
    expect(sanitiseFileName('Co\u0302ng va\u0306n.PDF', 'pdf', 'tep')).toBe('Công văn.pdf');
    expect(sanitiseFileName('thu.exe', 'pdf', 'tep')).toBe('thu.exe.pdf');
  });

  it('drops paths, control and bidi characters and leading dots', () => {
    expect(sanitiseFileName('../../etc/passwd', 'pdf', 'tep')).toBe('passwd.pdf');
    expect(sanitiseFileName('C:\\Users\\a\\b.pdf', 'pdf', 'tep')).toBe('b.pdf');
    expect(sanitiseFileName('anh\u202Egpj.exe', 'jpg', 'anh')).toBe('anh_gpj.exe.jpg');
    expect(sanitiseFileName('.hidden\u0000.pdf', 'pdf', 'tep')).toBe('hidden_.pdf');
  });

  it('a name of nothing usable gets the fallback; long names are cut on a grapheme boundary', () => {
    expect(sanitiseFileName(undefined, 'png', 'anh')).toBe('anh.png');
    expect(sanitiseFileName(' ... ', 'png', 'anh')).toBe('anh.png');
    const long = sanitiseFileName('👨‍👩‍👧'.repeat(60), 'pdf', 'tep');
    expect(long.length).toBeLessThanOrEqual(MAX_NAME_LENGTH);
    expect(long.endsWith('👨‍👩‍👧.pdf')).toBe(true);
  });
});

describe('platform limits as data', () => {
  const telegram: FileCapabilities = { maxUploadBytes: 50e6, maxDownloadBytes: 20e6, kinds: ['image', 'document', 'video', 'audio'] };
  const imagesOnly: FileCapabilities = { maxUploadBytes: 1e6, maxDownloadBytes: 1e6, kinds: ['image'], mimeTypes: { image: ['image/jpeg', 'image/png'] } };
  it('a file fits by size, kind and type', () => {
    expect(fileFits(telegram, { kind: 'document', mimeType: 'application/pdf', sizeBytes: 10e6 })).toBe(true);
    expect(fileFits(telegram, { kind: 'document', mimeType: 'application/pdf', sizeBytes: 51e6 })).toBe(false);
    expect(fileFits(imagesOnly, { kind: 'image', mimeType: 'image/webp', sizeBytes: 10 })).toBe(false);
    expect(fileFits(imagesOnly, { kind: 'document', mimeType: 'application/pdf', sizeBytes: 10 })).toBe(false);
    expect(fileFits(undefined, { kind: 'image', mimeType: 'image/png', sizeBytes: 10 })).toBe(false);
  });
});

describe('signed download links', () => {
  const signer = createLinkSigner('a-test-secret-of-enough-length-0123456789');
  const query = (qs: string) => Object.fromEntries(new URLSearchParams(qs));
  it('a signed link verifies until it expires', () => {
    const q = query(signer.sign({ attachmentId: 7, personId: 3, expiresAtS: 2_000_000_000 }));
    expect(signer.verify(q, 1_999_999_000_000)).toEqual({ attachmentId: 7, personId: 3, expiresAtS: 2_000_000_000 });
    expect(signer.verify(q, 2_000_000_000_000)).toBe('expired');
  });
  it('another file, person or expiry, or another secret, is refused', () => {
    const q = query(signer.sign({ attachmentId: 7, personId: 3, expiresAtS: 2_000_000_000 }));
    expect(signer.verify({ ...q, f: '8' }, 0)).toBe('bad');
    expect(signer.verify({ ...q, p: '4' }, 0)).toBe('bad');
    expect(signer.verify({ ...q, e: '2000000001' }, 0)).toBe('bad');
    expect(createLinkSigner('another-secret-of-enough-length-98765').verify(q, 0)).toBe('bad');
    expect(signer.verify({ f: '7' }, 0)).toBe('bad');
  });
});

describe('clamd INSTREAM (against a tiny fake clamd: real clamd needs virus definitions this machine cannot download)', () => {
  let clamd: FakeClamd;
  beforeAll(async () => { clamd = await startFakeClamd(); });
  afterAll(async () => { await clamd.close(); });

  it('parses addresses and answers', () => {
    expect(parseClamdAddress('tcp://127.0.0.1:3310')).toEqual({ host: '127.0.0.1', port: 3310 });
    expect(parseClamdAddress('unix:/run/clamav/clamd.ctl')).toEqual({ path: '/run/clamav/clamd.ctl' });
    expect(parseClamdAnswer('stream: OK')).toEqual({ clean: true });
    expect(parseClamdAnswer('stream: Win.Test.EICAR_HDB-1 FOUND')).toEqual({ clean: false, signature: 'Win.Test.EICAR_HDB-1' });
    expect(() => parseClamdAnswer('INSTREAM size limit exceeded. ERROR')).toThrow(/size limit/);
  });

  it('streams the file in frames and reads the verdict', async () => {
    const scan = createClamdScanner(clamd.address);
    const big = sample.pdf(300_000);
    expect(await scan(streamOf(big, 100_000))).toEqual({ clean: true });
    expect(clamd.bytesSeen).toBeGreaterThanOrEqual(big.length);
    expect(await scan(streamOf(sample.eicar()))).toEqual({ clean: false, signature: 'Eicar-Test-Signature' });
  });

  it('a scanner that cannot be reached is an error, not a clean verdict', async () => {
    await expect(createClamdScanner('tcp://127.0.0.1:1', 2000)(streamOf(sample.pdf()))).rejects.toThrow(/clamd/);
  });
});
