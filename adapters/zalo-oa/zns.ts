import { BadRequestError } from '../types.js';
import { fromZnsFailure } from './errors.js';
import { zaloErrorOf, zaloPost } from './http.js';
import { failureOf, withAccessToken, type OaCallDeps } from './call.js';

/** A ZNS template notification to a phone number. */
export interface ZnsRequest {
  /** Vietnamese mobile number; normalised to `84xxxxxxxxx`. Never logged. */
  phone: string;
  templateId: string;
  /** The template's parameters, as approved by Zalo. */
  templateData: Record<string, string>;
  /** Our id for the send (idempotency on Zalo's side, and their delivery callback). */
  trackingId: string;
}

/** `0912…` / `+84912…` / `84912…` → `84912…`; undefined for anything else. */
export function toZnsPhone(phone: string): string | undefined {
  const digits = phone.replace(/[\s.-]/g, '').replace(/^\+/, '');
  const national = digits.startsWith('84') ? digits.slice(2) : digits.startsWith('0') ? digits.slice(1) : undefined;
  return national !== undefined && /^\d{9}$/.test(national) ? `84${national}` : undefined;
}

/**
 * `POST {znsUrl}/message/template` with the OA access token. Resolves with Zalo's message id;
 * throws ChatErrors from the ZNS table (`fromZnsFailure`): -124 renews the token once and retries
 * once, -118 (no Zalo account for that phone) is an UnreachableError at once.
 */
export async function sendZnsTemplate(deps: OaCallDeps & { znsUrl: string }, request: ZnsRequest): Promise<string> {
  const phone = toZnsPhone(request.phone);
  if (!phone) throw new BadRequestError('zalo-oa zns: not a Vietnamese mobile number');
  return withAccessToken(deps, async (token) => {
    const res = await zaloPost(`${deps.znsUrl}/message/template`, {
      headers: { 'content-type': 'application/json', access_token: token },
      body: JSON.stringify({ phone, template_id: request.templateId, template_data: request.templateData, tracking_id: request.trackingId }),
    }, 'zns');
    const msgId = (res.body as { data?: { msg_id?: unknown } } | undefined)?.data?.msg_id;
    if (res.httpStatus !== 200 || zaloErrorOf(res.body).code !== 0) throw failureOf(deps, res, 'zns', fromZnsFailure);
    return typeof msgId === 'string' ? msgId : String(msgId ?? '');
  });
}
