import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FileSettings } from '../config/files.js';
import type { Db } from '../../db/client.js';
import type { Logger } from '../logger.js';
import { writePrivateFile } from '../private-files.js';
import { createFolderBlobStore, type BlobStore } from './blob-store.js';
import { createClamdScanner } from './clamd.js';
import { createLinkSigner, type LinkSigner } from './links.js';
import { createS3BlobStore } from './s3-store.js';
import { createFileService, type FileService } from './service.js';

export { DOWNLOAD_PATH } from './links.js';
export type { FileService } from './service.js';
export type { LinkSigner } from './links.js';

/** The file parts of the bot, built once by the composition root. */
export interface Files {
  service: FileService;
  signer: LinkSigner;
  settings: FileSettings;
}

/** The blob store the settings name. */
export function createBlobStore(settings: FileSettings): BlobStore {
  return settings.s3 ? createS3BlobStore(settings.s3) : createFolderBlobStore(join(settings.dir, 'blobs'));
}

/**
 * The link secret: the configured one, else a random one kept in `<dir>/link.key` (600), created
 * on first start (several machines must share `FILES_LINK_SECRET` instead).
 */
export function linkSecret(settings: FileSettings): string {
  if (settings.linkSecret) return settings.linkSecret;
  mkdirSync(settings.dir, { recursive: true, mode: 0o700 });
  const path = join(settings.dir, 'link.key');
  if (!existsSync(path)) writePrivateFile(path, randomBytes(32).toString('hex'));
  return readFileSync(path, 'utf8').trim();
}

/** Builds the file service, its link signer and scanner from the settings. */
export function createFiles(settings: FileSettings, db: Db, logger: Logger, now: () => Date, store: BlobStore = createBlobStore(settings)): Files {
  const service = createFileService({
    db, store, tmpDir: join(settings.dir, 'incoming'), limits: settings.limits, logger, now,
    ...(settings.clamdAddress ? { scanner: createClamdScanner(settings.clamdAddress) } : {}),
  });
  return { service, signer: createLinkSigner(linkSecret(settings)), settings };
}
