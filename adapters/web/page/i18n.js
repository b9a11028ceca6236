// Every visible string of the chat page, in Vietnamese and English, and the chosen language.
const { localStorage } = globalThis;

const LANG_KEY = 'liaison.lang';
export const STRINGS = {
  vi: {
    title: 'Mạng lưới phát ngôn', pageTitle: 'Mạng lưới phát ngôn — Trò chuyện', skip: 'Chuyển tới ô soạn tin',
    signInTitle: 'Đăng nhập', signInHelp: 'Nhập mã mời của bạn, hoặc mã đăng nhập nhận được khi gõ /web trong Telegram hoặc Zalo.', codeLabel: 'Mã mời hoặc mã đăng nhập',
    signIn: 'Đăng nhập', signOut: 'Đăng xuất', chatTitle: 'Cuộc trò chuyện', composer: 'Soạn tin', messageLabel: 'Tin nhắn',
    send: 'Gửi', hint: 'Enter để gửi, Shift+Enter để xuống dòng.', reply: 'Trả lời', replyTo: 'Trả lời tin nhắn của bot',
    replyingTo: 'Đang trả lời: ', cancelReply: 'Bỏ trả lời', you: 'Bạn', bot: 'Bot', quoteOf: 'Trả lời cho: ',
    earlier: '(tin nhắn trước đó)', langButton: 'English', langLabel: 'Switch to English', langOther: 'en',
    signingIn: 'Đang đăng nhập…', loading: 'Đang tải tin nhắn…', reconnecting: 'Mất kết nối, đang kết nối lại…',
    connected: 'Đã kết nối.', signedOut: 'Bạn đã đăng xuất.', edited: '(đã sửa)', sending: 'Đang gửi…',
    network: 'Không kết nối được máy chủ. Vui lòng kiểm tra mạng và thử lại.', emptyCode: 'Vui lòng nhập mã mời hoặc mã đăng nhập.',
    sendCodeTitle: 'Chưa có mã?', sendCodeHelp: 'Nhập số điện thoại hoặc mã cá nhân của bạn trong danh bạ: mã đăng nhập sẽ được gửi tới Telegram hoặc Zalo bạn đã liên kết.',
    whoLabel: 'Số điện thoại hoặc mã cá nhân', sendCode: 'Gửi mã cho tôi', emptyWho: 'Vui lòng nhập số điện thoại hoặc mã cá nhân.',
    codeSent: 'Nếu thông tin này khớp với một người đã liên kết Telegram hoặc Zalo, mã đăng nhập vừa được gửi tới cuộc trò chuyện đó (hiệu lực 10 phút). Nhập mã vào ô đăng nhập ở trên.',
    codeFromLink: 'Liên kết có kèm một mã đăng nhập. Bấm “Đăng nhập” nếu chính bạn đã nhận liên kết này.',
    switchTitle: 'Đăng nhập người khác?', switchConfirm: 'Đăng nhập bằng mã này', switchCancel: 'Giữ nguyên',
    previewTitle: 'Xem trước câu trả lời (CHƯA GỬI)', previewNote: 'Xem trước: gửi, sửa hoặc hủy ở khung phía trên ô soạn tin.',
    editLabel: 'Sửa nội dung câu trả lời', editLabelCorrecting: 'Sửa nội dung bản sửa câu trả lời', saveDraft: 'Lưu bản nháp', cancelEdit: 'Hủy sửa',
    editHint: 'Enter để xuống dòng. Chỉ gửi đi khi bấm «Gửi câu trả lời».', savingDraft: 'Đang lưu bản nháp…',
    switchHelp: 'Thẻ này đang đăng nhập. Đăng nhập bằng mã vừa nhận sẽ đăng xuất người đang dùng thẻ này. Chỉ tiếp tục nếu chính bạn đã mở liên kết hoặc nhập mã này.',
  },
  en: {
    title: 'Press liaison network', pageTitle: 'Press liaison network — Chat', skip: 'Skip to the message box',
    signInTitle: 'Sign in', signInHelp: 'Enter your invite code, or the sign-in code you get by sending /web in Telegram or Zalo.', codeLabel: 'Invite or sign-in code',
    signIn: 'Sign in', signOut: 'Sign out', chatTitle: 'Conversation', composer: 'Write a message', messageLabel: 'Message',
    send: 'Send', hint: 'Enter sends, Shift+Enter starts a new line.', reply: 'Reply', replyTo: 'Reply to the bot’s message',
    replyingTo: 'Replying to: ', cancelReply: 'Cancel reply', you: 'You', bot: 'Bot', quoteOf: 'In reply to: ',
    earlier: '(earlier message)', langButton: 'Tiếng Việt', langLabel: 'Chuyển sang tiếng Việt', langOther: 'vi',
    signingIn: 'Signing in…', loading: 'Loading messages…', reconnecting: 'Connection lost, reconnecting…',
    connected: 'Connected.', signedOut: 'You have signed out.', edited: '(edited)', sending: 'Sending…',
    network: 'Could not reach the server. Please check your connection and try again.', emptyCode: 'Please enter your invite or sign-in code.',
    sendCodeTitle: 'No code?', sendCodeHelp: 'Enter your phone number or your directory code: a sign-in code will be sent to the Telegram or Zalo chat you linked.',
    whoLabel: 'Phone number or directory code', sendCode: 'Send me a code', emptyWho: 'Please enter your phone number or directory code.',
    codeSent: 'If this matches someone with a linked Telegram or Zalo chat, a sign-in code has just been sent there (valid 10 minutes). Type it into the sign-in box above.',
    codeFromLink: 'The link came with a sign-in code. Press “Sign in” if you are the one who received this link.',
    switchTitle: 'Sign in as someone else?', switchConfirm: 'Sign in with this code', switchCancel: 'Keep things as they are',
    previewTitle: 'Preview of your answer (NOT SENT)', previewNote: 'Preview: send, edit or cancel it in the panel above the message box.',
    editLabel: 'Edit the answer’s text', editLabelCorrecting: 'Edit the corrected answer’s text', saveDraft: 'Save draft', cancelEdit: 'Stop editing',
    editHint: 'Enter starts a new line. Nothing is sent until “Send the answer”.', savingDraft: 'Saving the draft…',
    switchHelp: 'This tab is signed in. Signing in with the new code signs out whoever uses this tab now. Go on only if you opened the link or typed the code yourself.',
  },
};

function readLang() {
  try { return localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'vi'; } catch { return 'vi'; }
}

/**
 * The page's language ('vi' or 'en'). Signed in: the person's (the server says it with the session,
 * `showLanguage`). Signed out: this browser's last choice, Vietnamese unless English was chosen.
 */
export const lang = { current: readLang() };

/** The string `key` in the current language. */
export const t = (key) => STRINGS[lang.current][key];

/** Switches language and remembers it in this browser (the sign-in form's language next time). */
export function toggleLanguage() {
  lang.current = lang.current === 'vi' ? 'en' : 'vi';
  try { localStorage.setItem(LANG_KEY, lang.current); } catch { /* private mode: the choice lasts this visit */ }
}

/**
 * Shows the page in `language`, the signed-in person's setting, without remembering it in this
 * browser (several people share a browser's slots); true when it changed.
 */
export function showLanguage(language) {
  if ((language !== 'vi' && language !== 'en') || language === lang.current) return false;
  lang.current = language;
  return true;
}

/** Back to this browser's own choice (signed out). */
export function browserLanguage() {
  const own = readLang();
  if (own === lang.current) return false;
  lang.current = own;
  return true;
}
