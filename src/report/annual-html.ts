import { formatDay, formatInstant } from '../dashboard/format.js';
import type { AnnualReport } from './annual.js';
import { annualLines } from './annual-xlsx.js';

/** Escapes text for HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * The annual report as a printable A4 page, for signature and stamp. `css`: a stylesheet URL (the
 * page served under the strict CSP links `/dashboard/print.css`) or the stylesheet's text to inline
 * (a file written by the command line, opened from disk).
 */
export function renderAnnualHtml(r: AnnualReport, css: { href: string } | { inline: string }): string {
  const style = 'href' in css ? `<link rel="stylesheet" href="${escapeHtml(css.href)}">` : `<style>${css.inline}</style>`;
  const who = r.org ? `${escapeHtml(r.org.name)} (${escapeHtml(r.org.code)})` : 'Toàn mạng lưới phát ngôn';
  const rows = annualLines(r).map((l) => `<tr><td class="no">${l.no}</td><td>${escapeHtml(l.vi)}<br><span class="en">${escapeHtml(l.en)}</span></td><td class="value">${escapeHtml(l.value)}</td><td class="note">${escapeHtml(l.note)}</td></tr>`).join('\n');
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Báo cáo năm ${r.year} — Nghị định 244/2026/NĐ-CP, Điều 10</title>
${style}
</head>
<body class="a4">
<header>
<div class="org"><p>${who}</p><p>Số: ……/BC</p></div>
<div class="nation"><p><strong>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</strong></p><p><strong>Độc lập – Tự do – Hạnh phúc</strong></p></div>
</header>
<h1>BÁO CÁO<br>Kết quả công tác phát ngôn và cung cấp thông tin cho báo chí năm ${r.year}</h1>
<p class="center">(Theo Điều 10 Nghị định 244/2026/NĐ-CP; kỳ báo cáo từ ${formatDay(r.range.from)} đến ${formatDay(r.range.to)})</p>
<p>Kính gửi: Bộ Văn hóa, Thể thao và Du lịch.</p>
<table>
<thead><tr><th>STT</th><th>Nội dung</th><th>Số liệu</th><th>Ghi chú</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
<p class="small">Số liệu lập lúc ${formatInstant(r.generatedAt)} từ hệ thống Mạng lưới phát ngôn; danh sách từng câu hỏi, cuộc họp báo, tuyên bố và văn bản cải chính ở trang "Chi tiết" của tệp XLSX.</p>
<footer>
<div><p><strong>NGƯỜI LẬP BÁO CÁO</strong></p><p class="sign">(Ký, ghi rõ họ tên)</p></div>
<div><p>………, ngày …… tháng …… năm ${r.year}</p><p><strong>THỦ TRƯỞNG CƠ QUAN</strong></p><p class="sign">(Ký tên, đóng dấu)</p></div>
</footer>
</body>
</html>
`;
}
