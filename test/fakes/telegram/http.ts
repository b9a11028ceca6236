import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakeApiError } from './types.js';
import { readMultipart } from './files.js';
import { ApiRefusal, badRequest } from './refusal.js';

export { ApiRefusal, badRequest } from './refusal.js';

const JSON_FIELDS = new Set(['reply_markup', 'reply_parameters', 'allowed_updates', 'entities']);

/**
 * Reads Bot API parameters the way Telegram does: query string, then a JSON or urlencoded body.
 * Urlencoded values that hold objects (reply_markup …) are JSON strings, decoded here.
 */
export async function readParams(req: IncomingMessage, url: URL): Promise<Record<string, unknown>> {
  const params: Record<string, unknown> = {};
  for (const [key, value] of url.searchParams) params[key] = decodeField(key, value);
  if (/^multipart\/form-data/i.test(req.headers['content-type'] ?? '')) {
    const { fields, files } = await readMultipart(req).catch((err: unknown) => {
      throw /Too Large/.test(String(err)) ? new ApiRefusal({ error_code: 413, description: 'Request Entity Too Large' }) : badRequest('bad multipart body');
    });
    for (const [key, value] of Object.entries(fields)) params[key] = decodeField(key, value);
    for (const file of files) params[file.field] = { upload: file };
    return params;
  }
  const body = await readBody(req);
  if (body.length === 0) return params;
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json') {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw badRequest('invalid JSON body');
    return { ...params, ...(parsed as Record<string, unknown>) };
  }
  if (type === 'application/x-www-form-urlencoded') {
    for (const [key, value] of new URLSearchParams(body.toString('utf8'))) params[key] = decodeField(key, value);
    return params;
  }
  throw badRequest(`unsupported content type ${type || '(none)'}`);
}

function decodeField(key: string, value: string): unknown {
  if (!JSON_FIELDS.has(key)) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Writes a Bot API answer; 5xx bodies mimic Telegram's gateway (telegraf reads only the status). */
export function writeResult(res: ServerResponse, result: unknown): number {
  return writeJson(res, 200, { ok: true, result });
}

/** Writes a Bot API refusal with `parameters.retry_after` when given. Returns the HTTP status. */
export function writeRefusal(res: ServerResponse, error: FakeApiError): number {
  const body: Record<string, unknown> = { ok: false, error_code: error.error_code, description: error.description };
  if (error.retry_after !== undefined) body.parameters = { retry_after: error.retry_after };
  return writeJson(res, error.error_code, body);
}

function writeJson(res: ServerResponse, status: number, body: unknown): number {
  if (res.writableEnded || res.destroyed) return status;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
  return status;
}

/** Coerces a `chat_id` given as number or numeric string; `undefined` for anything else. */
export function toChatId(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
  return undefined;
}

/** Coerces an integer parameter given as number or numeric string. */
export function toInteger(value: unknown): number | undefined {
  return toChatId(value);
}
