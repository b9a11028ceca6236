import { createReadStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type * as S3Sdk from '@aws-sdk/client-s3';
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
export function createS3BlobStore(o: S3StoreOptions): BlobStore {
  // The SDK is ~28 MB of memory: loaded when the store is first used, not in every process
  // (most deployments keep their files in a folder and never load it).
  let loading: Promise<{ sdk: typeof S3Sdk; client: S3Sdk.S3Client }> | undefined;
  const ready = () => (loading ??= import('@aws-sdk/client-s3').then((sdk) => ({
    sdk,
    client: new sdk.S3Client({
      region: o.region, forcePathStyle: o.forcePathStyle, credentials: { accessKeyId: o.accessKeyId, secretAccessKey: o.secretAccessKey },
      ...(o.endpoint ? { endpoint: o.endpoint } : {}),
      // Checksums only where S3 requires them: several S3-compatible servers refuse the SDK's
      // default trailing checksums; our own SHA-256 is checked on every download anyway.
      requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED',
    }),
  })));
  const Key = (key: string) => {
    assertKey(key);
    return `${o.prefix}${key}`;
  };
  const isMissing = (sdk: typeof S3Sdk, err: unknown) => err instanceof sdk.S3ServiceException && (err.$metadata.httpStatusCode === 404 || err.name === 'NoSuchKey' || err.name === 'NotFound');
  return {
    kind: 's3',
    async putFile(key, path, sizeBytes) {
      const { sdk, client } = await ready();
      await client.send(new sdk.PutObjectCommand({ Bucket: o.bucket, Key: Key(key), Body: createReadStream(path), ContentLength: sizeBytes }));
      await unlink(path);
    },
    async has(key) {
      const { sdk, client } = await ready();
      try {
        await client.send(new sdk.HeadObjectCommand({ Bucket: o.bucket, Key: Key(key) }));
        return true;
      } catch (err) {
        if (isMissing(sdk, err)) return false;
        throw err;
      }
    },
    async open(key) {
      const { sdk, client } = await ready();
      try {
        const got = await client.send(new sdk.GetObjectCommand({ Bucket: o.bucket, Key: Key(key) }));
        if (!(got.Body instanceof Readable)) throw new Error('s3: the response body is not a Node stream');
        return got.Body;
      } catch (err) {
        if (isMissing(sdk, err)) throw new BlobMissingError(key);
        throw err;
      }
    },
    async delete(key) {
      const { sdk, client } = await ready();
      await client.send(new sdk.DeleteObjectCommand({ Bucket: o.bucket, Key: Key(key) }));
    },
  };
}
