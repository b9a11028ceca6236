import { describe, expect, it } from 'vitest';
import { editTelegramButtons, type EditDeps } from '../../adapters/telegram/send.js';
import { BadRequestError, type Button } from '../../adapters/types.js';

/** Records the keyboards the adapter asks Telegram for (the Bot API's own behaviour is the fake's, elsewhere). */
function recorder(): { deps: EditDeps; keyboards: unknown[] } {
  const keyboards: unknown[] = [];
  const telegram = {
    editMessageReplyMarkup: async (_chat: unknown, _id: unknown, _inline: unknown, markup: unknown) => { keyboards.push(markup); return true; },
    editMessageText: async () => true,
  } as unknown as EditDeps['telegram'];
  return { deps: { telegram, toError: (err) => new BadRequestError(String(err)) }, keyboards };
}

describe('editing only a message\'s buttons on Telegram', () => {
  const screening: Button[][] = [
    [{ label: 'Chuyển: Sở Y tế', action: 'sr', payload: '7' }],
    [{ label: 'Chọn cơ quan khác', action: 'sc', payload: '7' }, { label: 'Từ chối', action: 'sx', payload: '7', style: 'danger' }],
    [{ label: 'Gộp vào câu hỏi khác', action: 'sm', payload: '7' }],
  ];

  it('shows buttons settled by a flow as a press is shown: only the chosen one, marked, doing nothing', async () => {
    const { deps, keyboards } = recorder();
    const settled = screening.map((row) => row.map((b) => ({ ...b, state: b.action === 'sm' ? 'chosen' as const : 'disabled' as const })));
    await editTelegramButtons(deps, '501', '12', settled);
    expect(keyboards).toEqual([{ inline_keyboard: [[{ text: '✓ Gộp vào câu hỏi khác', callback_data: 'done|' }]] }]);
  });

  it('removes the keyboard of a message whose buttons are all spent, none chosen (a superseded answer preview)', async () => {
    const { deps, keyboards } = recorder();
    await editTelegramButtons(deps, '501', '12', screening.map((row) => row.map((b) => ({ ...b, state: 'disabled' as const }))));
    expect(keyboards).toEqual([{ inline_keyboard: [] }]);
  });

  it('keeps every button of a keyboard nobody settled (a page of choices turning)', async () => {
    const { deps, keyboards } = recorder();
    await editTelegramButtons(deps, '501', '12', screening);
    expect(keyboards).toEqual([{ inline_keyboard: [[{ text: 'Chuyển: Sở Y tế', callback_data: 'sr|7' }], [{ text: 'Chọn cơ quan khác', callback_data: 'sc|7' }, { text: 'Từ chối', callback_data: 'sx|7' }], [{ text: 'Gộp vào câu hỏi khác', callback_data: 'sm|7' }]] }]);
  });
});
