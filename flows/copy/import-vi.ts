import type { ImportCopy } from './import-types.js';

const list = (items: readonly string[]): string => items.join(', ');

export const importVi: ImportCopy = {
  cannotRead: (code) => `không đọc được tệp (${code})`,
  notUtf8: 'tệp không phải văn bản UTF-8 (trong Excel, chọn lưu dạng "CSV UTF-8")',
  emptyFile: (required) => `tệp trống: cần một dòng tiêu đề có ${list(required)}`,
  unknownKind: (kind, expected) => `không có loại dữ liệu "${kind}" (dùng một trong: ${list(expected)})`,
  csvQuoteNotClosed: 'lỗi cú pháp CSV: một ô mở dấu ngoặc kép mà không đóng (kiểm tra dấu " thừa)',
  csvOpeningQuote: 'lỗi cú pháp CSV: có dấu " trong một ô không đặt trong ngoặc kép (đặt cả ô trong ngoặc kép và viết "" cho mỗi dấu ")',
  csvClosingQuote: 'lỗi cú pháp CSV: có chữ ngay sau dấu ngoặc kép đóng',
  csvSyntax: (detail) => `lỗi cú pháp CSV: ${detail}`,
  headerColumnNoName: (n) => `cột thứ ${n} của dòng tiêu đề không có tên`,
  unknownColumn: (name, expected) => `không có cột "${name}" (các cột dùng được: ${list(expected)})`,
  columnTwice: (name) => `cột "${name}" xuất hiện hai lần trong dòng tiêu đề`,
  missingColumn: (name) => `thiếu cột bắt buộc "${name}"`,
  fieldCount: (n, h) => `dòng có ${n} ô nhưng dòng tiêu đề có ${h} cột (ô nào có dấu phẩy thì đặt trong ngoặc kép)`,

  required: (col) => `${col} không được để trống`,
  invalidCode: (col, v) => `${col} "${v}" không phải mã hợp lệ (chữ cái, chữ số, ".", "_" và "-", tối đa 64 ký tự, bắt đầu bằng chữ cái hoặc chữ số)`,
  invalidDate: (col, v) => `${col} "${v}" không phải ngày hợp lệ (viết YYYY-MM-DD, ví dụ 2025-07-01)`,
  invalidFlag: (col, v) => `${col} phải là 0 hoặc 1, không phải "${v}"`,
  notOneOf: (col, v, allowed) => `${col} "${v}" không thuộc các giá trị ${list(allowed)}`,
  invalidPhone: (col) => `${col} không phải số điện thoại hợp lệ (chữ số, có thể có dấu + ở đầu và dấu cách)`,
  invalidInvite: (col, v, min) => `${col} "${v}" không hợp lệ: dùng ${min} đến 64 ký tự A-Z, a-z, 0-9, "_" và "-" (mã ngắn hơn dễ bị đoán; quy tắc /start của Telegram)`,
  validityOrder: (from, to) => `valid_from ${from} sau valid_to ${to}`,

  codeRepeated: (code, line) => `mã "${code}" bị lặp lại (lần đầu ở dòng ${line})`,
  roleRepeated: (role, person, line) => `vai trò ${role} của "${person}" bị lặp lại (lần đầu ở dòng ${line})`,
  refMissing: (col, code) => `${col} "${code}" không có trong tệp này cũng như trong cơ sở dữ liệu`,
  orgTreeCycle: (path) => `cây tổ chức bị vòng lặp: ${path.join(' → ')}`,
  predecessorCycle: (path) => `liên kết đơn vị tiền thân bị vòng lặp: ${path.join(' → ')}`,
  orgNotImported: (col, code) => `${col} "${code}" chưa có trong cơ sở dữ liệu (hãy nhập organisations trước)`,
  outletNotImported: (code) => `outlet_code "${code}" chưa có trong cơ sở dữ liệu (hãy nhập outlets trước)`,
  caseUnknown: (code) => `case_code "${code}" không phải mã của câu hỏi nào trong cơ sở dữ liệu`,
  contactOrgType: (code, type) => `org_code "${code}" là ${type}; đầu mối phải thuộc một xã, phường (commune) hoặc đặc khu (special_zone)`,

  kindRequired: (kinds) => `người phát ngôn phải có kind (${list(kinds)})`,
  kindOnlyForSpokespersons: (role) => `kind chỉ dành cho người phát ngôn; để trống với vai trò ${role}`,
  orgRequired: (role) => `vai trò ${role} phải có org_code`,
  outletRequired: 'phóng viên phải có outlet_code',
  pressCardRequired: 'phóng viên phải có press_card',
  reporterHasOrg: 'để trống org_code với phóng viên (phóng viên thuộc một cơ quan báo chí)',
  caseOnlyForAuthorised: 'case_code chỉ dành cho người được ủy quyền phát ngôn (authorised)',
  personValueDiffers: (col, value, line, person) => `${value === null ? col : `${col} "${value}"`} khác với dòng ${line} của người "${person}"`,
  inviteGivenTwice: (code, other, line) => `invite_code "${code}" cũng được cấp cho "${other}" ở dòng ${line}`,
  inviteTaken: (code, owner) => `invite_code "${code}" đã thuộc về ${owner === null ? 'một người tự đăng ký' : `"${owner}"`} trong cơ sở dữ liệu`,
  invalidTag: (tag) => `nhãn "${tag}" không hợp lệ: dùng chữ cái, chữ số, "_" và "-", các nhãn cách nhau bằng ";"`,

  invalidAmount: (col, v, max) => `${col} "${v}" không phải số nguyên từ 1 đến ${max}`,
  overrideRepeated: (org, cls, from, line) => `thời hạn của ${org}, ${cls} từ ${from ?? '(không có valid_from)'} bị lặp lại (lần đầu ở dòng ${line})`,

  invalidOfficeHours: (v) => `office_hours "${v}" không phải danh sách khung giờ dạng 07:30-11:30; 13:30-17:00 (giờ HH:mm 24 giờ, "-" giữa giờ bắt đầu và kết thúc, ";" giữa các khung giờ)`,
  officePeriodOrder: (p) => `khung giờ ${p} kết thúc trước khi bắt đầu`,
  officePeriodsOverlap: (a, b) => `khung giờ ${a} và ${b} chồng lên nhau`,

  calendarNoYearInName: 'tên tệp phải ghi năm áp dụng, ví dụ 2026.csv hoặc lich-nghi-2026.csv (việc nhập sẽ thay lịch chính thức của các năm đó)',
  calendarDateTwice: (date, line) => `ngày ${date} đã có ở dòng ${line}`,
  calendarDateOutsideYears: (date, years) => `ngày ${date} không thuộc năm mà tên tệp ghi (${years.join(', ')})`,
  calendarNoRows: 'tệp không có dòng dữ liệu nào: không có gì để nhập',
  calendarYearWithoutRows: (y) => `tên tệp ghi năm ${y} nhưng không có dòng nào thuộc năm ${y} (việc nhập thay cả năm)`,
};
