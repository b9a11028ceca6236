import { describe, expect, it } from 'vitest';
import { copyFor } from '../../flows/copy/index.js';

describe('the merge refusal', () => {
  it('asks for another code only where the merge dialog waits for one, in Vietnamese and English', () => {
    const vi = copyFor('vi', 'vi');
    const en = copyFor('en', 'vi');
    expect(vi.mergeInvalid('Q-7', false)).toBe('Không thể gộp vào Q-7: câu hỏi không tồn tại, đã đóng, hoặc chính là câu hỏi này.');
    expect(en.mergeInvalid('Q-7', false)).toBe('Cannot merge into Q-7: it does not exist, is closed, or is this inquiry.');
    expect(vi.mergeInvalid('Q-7', true)).toMatch(/ Gõ mã khác hoặc \/cancel\.$/);
    expect(en.mergeInvalid('Q-7', true)).toMatch(/ Type another code or \/cancel\.$/);
  });
});
