import type { DeadlineCopy, DeadlineView } from './deadline-types.js';
import { excerpt, formatDueTime, formatTimeLeft } from './format.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** "2 ngày 3 giờ": the two largest non-zero units, whole minutes at least. */
function duration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < MINUTE_MS) return 'chưa đến 1 phút';
  const parts = [
    [Math.floor(abs / DAY_MS), 'ngày'], [Math.floor((abs % DAY_MS) / HOUR_MS), 'giờ'], [Math.floor((abs % HOUR_MS) / MINUTE_MS), 'phút'],
  ] as const;
  const first = parts.findIndex(([n]) => n > 0);
  return parts.slice(first, first + 2).filter(([n]) => n > 0).map(([n, u]) => `${n} ${u}`).join(' ');
}

function body(v: DeadlineView): string {
  return `Cơ quan: ${v.orgName}\nNội dung: «${excerpt(v.question, 200)}»`;
}

/** "còn 5 giờ" / "đã đến hạn" / "đã quá hạn 2 giờ". */
function standing(v: DeadlineView): string {
  const left = formatTimeLeft(v.dueAt, new Date(new Date(v.dueAt).getTime() + v.lateMs), 'vi', v.isWorkingDay);
  if (v.lateMs > 0) return `đã ${left}`;
  return v.lateMs > -MINUTE_MS ? 'đã đến hạn' : left;
}

const RUNG_GREETING: Record<string, string> = {
  head: 'Kính báo cáo đồng chí Thủ trưởng cơ quan',
  coordinator: 'Kính gửi Bộ phận đầu mối điều phối',
  leader: 'Kính báo cáo đồng chí lãnh đạo',
};

function assigneeLine(v: DeadlineView): string {
  return `Người phát ngôn xử lý: ${v.assignee ?? 'chưa có người nhận xử lý'}`;
}

/** Reminders and escalations in polite official Vietnamese. */
export const deadlineVi: DeadlineCopy = {
  reminder: (v, percent) => percent >= 100
    ? `⏰ Câu hỏi ${v.code} ${v.lateMs > MINUTE_MS ? standing(v) : 'đã đến hạn trả lời'} — hạn ${formatDueTime(v.dueAt, 'vi')}.\n${body(v)}\n\nKính đề nghị đồng chí trả lời ngay (trả lời trực tiếp tin nhắn này), hoặc xin gia hạn kèm lý do.`
    : `⏰ Nhắc hạn: câu hỏi ${v.code} đã dùng ${percent}% thời gian trả lời theo quy định; ${standing(v)} — hạn ${formatDueTime(v.dueAt, 'vi')}.\n${body(v)}\n\nKính đề nghị đồng chí khẩn trương trả lời (trả lời trực tiếp tin nhắn này).`,
  overdue: (v) => `⚠️ Câu hỏi ${v.code} ${standing(v)} — hạn ${formatDueTime(v.dueAt, 'vi')}.\n${body(v)}\n\nKính đề nghị đồng chí trả lời ngay, hoặc xin gia hạn kèm lý do.`,
  escalation: (v, rung) => `${RUNG_GREETING[rung] ?? 'Kính gửi đồng chí'}: câu hỏi ${v.code} của báo chí ${standing(v)} — hạn ${formatDueTime(v.dueAt, 'vi')}.\n${body(v)}\n${assigneeLine(v)}\n\nKính đề nghị đồng chí chỉ đạo trả lời kịp thời theo quy định.`,
  btnWorking: 'Đang xử lý',
  btnExtend: 'Xin gia hạn',
  btnTransfer: 'Chuyển đơn vị',
  duration,
};
