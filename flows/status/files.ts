import { truncateText } from '../../adapters/types.js';
import { listInquiryFiles } from '../../db/repositories/attachments.js';
import { findInquiryByCode } from '../../db/repositories/inquiries.js';
import type { FlowContext } from '../context.js';
import { partiesOf, tellRefusal } from '../guards.js';
import { codeOf } from '../inquiry/view.js';

/**
 * `/files Q-n`: the inquiry's record of files (name, type, size, who sent it, when, its SHA-256
 * checksum), for its reporter and the staff in scope only.
 */
export async function onFilesCommand(ctx: FlowContext, args: string): Promise<void> {
  const code = args.split(/\s+/)[0] ?? '';
  if (!code) return void await ctx.reply((t) => ({ text: t.files.recordUsage }));
  const inquiry = await findInquiryByCode(ctx.db, code);
  if (!inquiry) return void await ctx.reply((t) => ({ text: t.channel.inquiryCodeUnknown(truncateText(code, 20)) }));
  const parties = await partiesOf(ctx, inquiry, ['reporter', 'spokesperson', 'coordinator']);
  if (parties.size === 0) {
    return tellRefusal(ctx, { reason: 'not_allowed' }, String(inquiry.id));
  }
  const rows = await listInquiryFiles(ctx.db, inquiry.id);
  await ctx.reply((t) => ({
    text: t.files.record(codeOf(inquiry), rows.filter((r) => r.status === 'stored').map((r) => ({
      name: r.name, sizeBytes: r.size_bytes, mimeType: r.mime_type, kind: r.kind, sender: r.sender_name, at: r.created_at, sha256: r.sha256, entry: r.entry_kind,
    }))),
  }));
}
