import type { DeclineGround, Inquiry } from '../../db/schema.js';

/**
 * The article a decline cites (rules.md "Declining"): Press Law 2016 (103/2016/QH13) Art. 38(2)
 * lists the four grounds as points a–d, in the order of `DECLINE_GROUNDS`; the Press Law 2025
 * (126/2025/QH15) Art. 31(2) keeps them. The regime is chosen by the inquiry's received time,
 * like its deadline rule: the 2025 law applies to inquiries received from 2026-07-01.
 */
const PRESS_LAW_2025_FROM = '2026-07-01';
/** Vietnam is UTC+7 all year: the local date of an instant, in ms. */
const VN_OFFSET_MS = 7 * 3_600_000;

const POINTS: Record<DeclineGround, string> = { secret: 'a', investigation: 'b', unresolved: 'c', draft_policy: 'd' };

/** The legal article a decline on `ground` cites, in the reader's language (`vi` or `en`). */
export function declineArticle(inquiry: Pick<Inquiry, 'received_at'>, ground: DeclineGround, locale: string): string {
  const localDate = new Date(Date.parse(inquiry.received_at) + VN_OFFSET_MS).toISOString().slice(0, 10);
  const en = locale === 'en';
  if (localDate >= PRESS_LAW_2025_FROM) {
    return en ? 'Press Law 2025 (126/2025/QH15), Art. 31(2)' : 'khoản 2 Điều 31 Luật Báo chí 2025 (126/2025/QH15)';
  }
  const point = POINTS[ground];
  return en ? `Press Law 2016 (103/2016/QH13), Art. 38(2)(${point})` : `điểm ${point} khoản 2 Điều 38 Luật Báo chí 2016 (103/2016/QH13)`;
}
