import { describe, expect, it } from 'vitest';
import { withNumberedChoices } from '../../flows/choices.js';
import { copyFor } from '../../flows/copy/index.js';
import { normaliseOneTimeCode as normaliseLinkCode } from '../../flows/one-time-code.js';

describe('numbered choices', () => {
  const buttons = [[{ label: 'Trả lời', action: 'ans', payload: '4' }, { label: 'Hỏi lại', action: 'clq', payload: '4' }], [{ label: 'Từ chối', action: 'dcl', payload: '4' }]];

  it('lists every button in reading order with a hint in the reader\'s language', () => {
    expect(withNumberedChoices('Câu hỏi mới Q-4', buttons, copyFor('vi'))).toBe('Câu hỏi mới Q-4\n\n1. Trả lời\n2. Hỏi lại\n3. Từ chối\nTrả lời 1, 2 hoặc 3 để chọn.');
    expect(withNumberedChoices('New inquiry', [[buttons[0]![0]!]], copyFor('en'))).toBe('New inquiry\n\n1. Trả lời\nReply 1 to choose.');
  });

  it('leaves the text alone when there are no buttons', () => {
    expect(withNumberedChoices('Xin chào', [[]], copyFor('vi'))).toBe('Xin chào');
  });
});

describe('link codes as typed', () => {
  it('ignores case, spaces and dashes', () => {
    expect(normaliseLinkCode('abcd-2345')).toBe('ABCD2345');
    expect(normaliseLinkCode(' ABCD 2345 ')).toBe('ABCD2345');
  });

  it('rejects anything else', () => {
    for (const text of ['abc', 'ABCD23456', 'xin chào bạn', 'ABCD_2345', '']) expect(normaliseLinkCode(text)).toBeUndefined();
  });
});
