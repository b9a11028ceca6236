import type { AckRateLine, NoticeCopy, NoticeCounts, NoticeView } from './notice-types.js';

const pct = (a: number, b: number) => (b === 0 ? '–' : `${Math.round((a / b) * 100)}%`);
const body = (v: NoticeView) => [`📢 ${v.title}`, '', v.body, ...(v.link ? ['', `🔗 ${v.link}`] : [])].join('\n');
const counts = (c: NoticeCounts) => [
  `Đã gửi: ${c.sent}/${c.total}`, `Lỗi: ${c.failed}`, `Không liên lạc được: ${c.unreachable}`,
  `Chưa tham gia: ${c.notJoined}`, `Đã xác nhận: ${c.acked} (${pct(c.acked, c.sent)})`,
  ...(c.held > 0 ? [`Đang giữ chờ kênh: ${c.held}`] : []),
].join('\n');
const rates = (lines: AckRateLine[]) => lines.map((l) => `• ${l.name}: ${l.acked}/${l.sent} (${pct(l.acked, l.sent)})`).join('\n') || '• –';
const PLATFORMS: Record<string, string> = { telegram: 'Telegram', zalo_oa: 'Zalo OA', zalo_personal: 'Zalo', web: 'Web' };

export const noticeVi: NoticeCopy = {
  message: (v) => `${body(v)}\n\nVui lòng bấm «Đã nhận» để xác nhận.`,
  reminder: (v) => `⏰ Nhắc lại: bạn chưa xác nhận đã nhận thông báo này.\n\n${body(v)}\n\nVui lòng bấm «Đã nhận» để xác nhận.`,
  btnAck: '✅ Đã nhận',
  acked: (title) => `Cảm ơn, đã ghi nhận bạn đã nhận thông báo «${title}».`,
  ackedAgain: 'Bạn đã xác nhận thông báo này rồi.',
  notRecipient: 'Thông báo này không gửi cho bạn.',
  askTitle: 'Soạn thông báo chính sách. Gửi tiêu đề (một dòng). /cancel để hủy.',
  askBody: 'Gửi nội dung thông báo (dài cũng được, sẽ được chia thành nhiều tin).',
  askLink: 'Gửi đường link kèm theo (https://…), hoặc gửi "-" nếu không có.',
  badLink: 'Đường link cần bắt đầu bằng http:// hoặc https://, hoặc gửi "-" nếu không có.',
  askAudience: (ex) => `Gửi cho ai? Chọn bên dưới, hoặc gõ:\n• all — mọi đầu mối bạn phụ trách\n• org:MÃ1,MÃ2 — các đơn vị (gồm cả cấp dưới)\n• tag:nhãn1,nhãn2 — theo nhãn\n• org:…;tag:… — thỏa cả hai\nVí dụ: ${ex}`,
  badAudience: 'Không hiểu đối tượng nhận. Ví dụ: all, org:HUE, org:P-KIMLONG,P-VYDA, tag:y-te.',
  btnMyScope: (names) => `Tỉnh/thành phố của tôi (${names})`,
  btnAll: 'Tất cả đầu mối',
  btnCommunes: (n) => `Chọn xã/phường (${n})…`,
  btnTag: (tag) => `Nhãn: ${tag}`,
  btnPrev: (page, pages) => `◀ Trang ${page}/${pages}`,
  btnNext: (page, pages) => `Trang ${page}/${pages} ▶`,
  btnDone: (n) => `Xong (${n} đã chọn)`,
  communesPicker: (n, pages) => `Chọn xã/phường nhận thông báo (${n} xã/phường, ${pages} trang): bấm một xã/phường để đánh dấu ✓ hoặc bỏ đánh dấu, ◀ ▶ để sang trang, rồi bấm «Xong».`,
  noneChosen: 'Chưa chọn xã/phường nào. Bấm tên xã/phường để chọn, rồi bấm «Xong».',
  orgNotInScope: 'Đơn vị này không thuộc phạm vi bạn phụ trách nên không thể chọn. Vui lòng chọn trong danh sách.',
  audienceStale: 'Không có thông báo nào đang soạn. Gõ /notice để soạn thông báo mới.',
  unknownOrgs: (codes) => `Không có đơn vị mã: ${codes.join(', ')}.`,
  outOfScope: (codes) => `Bạn không phụ trách các đơn vị: ${codes.join(', ')}.`,
  noRecipients: 'Không có đầu mối nào thuộc đối tượng này.',
  tooLong: (max) => `Quá dài (tối đa ${max} ký tự).`,
  filesAdded: (n) => `Đã đính kèm ${n} tệp vào thông báo; tệp được gửi sau nội dung. Tiếp tục soạn như trên.`,
  preview: (p) => [
    `Xem trước thông báo #${p.id}: «${p.title}»`, `Đối tượng: ${p.audience}`,
    ...p.perChannel.map((c) => `• ${noticeVi.platformLabel(c.platform)}: ${c.n} người`),
    `• Không liên lạc được: ${p.unreachable}`, `• Chưa tham gia (chưa dùng mã mời): ${p.notJoined}`,
    ...(p.parts > 1 ? [`Nội dung dài, mỗi người nhận ${p.parts} tin.`] : []),
    ...(p.files?.length ? [`📎 Kèm ${p.files.length} tệp: ${p.files.join(', ')}`] : []),
    'Chưa gửi gì. Bấm «Gửi» để gửi, «Hủy» để bỏ.',
  ].join('\n'),
  btnSend: '📤 Gửi',
  btnCancel: 'Hủy',
  cancelled: 'Đã hủy thông báo, không gửi gì.',
  started: (id, title) => `Đang gửi thông báo #${id} «${title}»…`,
  notDraft: (id) => `Thông báo #${id} đã được gửi hoặc đã hủy.`,
  progress: (id, title, c, done) => `${done ? '✅ Đã gửi xong' : '⏳ Đang gửi'} thông báo #${id} «${title}»\n${counts(c)}`,
  summary: (id, title, c) => `Tổng kết thông báo #${id} «${title}»:\n${counts(c)}\nXem chi tiết: /notice status ${id}`,
  status: (id, title, c, provinces, communes) => `Thông báo #${id} «${title}»\n${counts(c)}\nTỉ lệ xác nhận theo tỉnh:\n${rates(provinces)}\nTheo xã/phường:\n${rates(communes)}`,
  statusUsage: 'Cách dùng: /notice để soạn; /notice status <số>.',
  notFound: (id) => `Không tìm thấy thông báo ${id}.`,
  platformLabel: (p) => PLATFORMS[p] ?? p,
};
