import type { PushKind } from '../../db/schema-push.js';

/** Titles of staff push notifications, per language (the body is the chat message's first words). */
const TITLES: Record<'vi' | 'en', Record<PushKind, (code: string) => string>> = {
  vi: {
    inquiry: (code) => `Câu hỏi mới ${code}`.trim(),
    reminder: (code) => `Nhắc hạn trả lời ${code}`.trim(),
    escalation: (code) => `Quá hạn trả lời ${code}`.trim(),
    reply: (code) => `Phản hồi mới ${code}`.trim(),
  },
  en: {
    inquiry: (code) => `New question ${code}`.trim(),
    reminder: (code) => `Deadline reminder ${code}`.trim(),
    escalation: (code) => `Answer overdue ${code}`.trim(),
    reply: (code) => `New reply ${code}`.trim(),
  },
};

/** The push title for `kind` about inquiry `code` ('' when none) in `locale` (Vietnamese unless English). */
export function pushTitle(locale: string, kind: PushKind, code: string): string {
  return TITLES[locale === 'en' ? 'en' : 'vi'][kind](code);
}
