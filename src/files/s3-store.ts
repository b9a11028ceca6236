import { createReadStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { Readable } from 'node:stream';
import {
  DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client, S3ServiceException,
} from '@aws-sdk/client-s3';
import { assertKey, BlobMissingError, type BlobStore } from './blob-store.js';

/** Where an S3-compatible store is (MinIO, Ceph, AWS). Credentials are secrets: never logged. */
export interface S3StoreOptions {
  /** e.g. `https://s3.example.gov.vn` or MinIO's `http://127.0.0.1:9000`; absent: AWS's own endpoint for `region`. */
  endpoint?: string;
  region: string;
  bucket: string;
  /** Key prefix inside the bucket (e.g. `liaison/`), so one bucket can serve several deployments. */
  prefix: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** `http://host/bucket/key` instead of `http://bucket.host/key` (MinIO and most self-hosted stores need it). */
  forcePathStyle: boolean;
}

/**
 * Blobs in an S3 bucket, so several machines share them. Uploads are one streamed PutObject with
 * its length known (the file is finished and hashed first); downloads stream the body.
 */
export function createS3BlobStore(o: S3StoreOptions): BlobStore & { client: S3Client } {
  const client = new S3Client({
    region: o.region, forcePathStyle: o.forcePathStyle, credentials: { accessKeyId: o.accessKeyId, secretAccessKey: o.secretAccessKey },
    ...(o.endpoint ? { endpoint: o.endpoint } : {}),
    // Checksums only where S3 requires them: several S3-compatible servers refuse the SDK's
    // default trailing checksums; our own SHA-256 is checked on every download anyway.
    requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const Key = (key: string) => {
    assertKey(key);
    return `${o.prefix}${key}`;
  };
  const isMissing = (err: unknown) => err instanceof S3ServiceException && (err.$metadata.httpStatusCode === 404 || err.name === 'NoSuchKey' || err.name === 'NotFound');
  return {
    kind: 's3',
    client,
    async putFile(key, path, sizeBytes) {
      await client.send(new PutObjectCommand({ Bucket: o.bucket, Key: Key(key), Body: createReadStream(path), ContentLength: sizeBytes }));
      await unlink(path);
    },
    async has(key) {
      try {
        await client.send(new HeadObjectCommand({ Bucket: o.bucket, Key: Key(key) }));
        return true;
      } catch (err) {
        if (isMissing(err)) return false;
        throw err;
      }
    },
    async open(key) {
      try {
        const got = await client.send(new GetObjectCommand({ Bucket: o.bucket, Key: Key(key) }));
        if (!(got.Body instanceof Readable)) throw new Error('s3: the response body is not a Node stream');
        return got.Body;
      } catch (err) {
        if (isMissing(err)) throw new BlobMissingError(key);
        throw err;
      }
    },
    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket: o.bucket, Key: Key(key) }));
    },
  };
}
