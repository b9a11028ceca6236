import type { FailRule, FakeApiError } from './types.js';

/** A call about to run, as interceptors see it. */
export interface InterceptedCall {
  method: string;
  params: Record<string, unknown>;
  /** `chat_id` coerced to a number, when the call has one. */
  chatId?: number;
  at: Date;
}

/**
 * Decides whether a call is refused before its method runs. Scripted failures and blocked chats
 * are interceptors; a global or per-chat rate limiter (for the broadcast benchmark) is one more.
 */
export type CallInterceptor = (call: InterceptedCall) => FakeApiError | undefined;

const BLOCKED: FakeApiError = { error_code: 403, description: 'Forbidden: bot was blocked by the user' };
const SENDING_METHODS = new Set(['sendMessage', 'editMessageText', 'editMessageReplyMarkup', 'sendChatAction']);

/** The fake's interceptor chain: blocked chats, then scripted failures, then added interceptors. */
export class Faults {
  private readonly rules: FailRule[] = [];
  private readonly blocked = new Set<number>();
  private readonly extra: CallInterceptor[] = [];

  failNext(rule: FailRule): void {
    if (rule.times > 0) this.rules.push({ ...rule });
  }

  blockChat(chatId: number): void {
    this.blocked.add(chatId);
  }

  unblockChat(chatId: number): void {
    this.blocked.delete(chatId);
  }

  add(interceptor: CallInterceptor): void {
    this.extra.push(interceptor);
  }

  /** The refusal for this call, if any; consumes one use of a matching scripted rule. */
  check(call: InterceptedCall): FakeApiError | undefined {
    if (call.chatId !== undefined && this.blocked.has(call.chatId) && SENDING_METHODS.has(call.method)) return BLOCKED;
    const rule = this.rules.find((r) => matches(r, call));
    if (rule) {
      rule.times -= 1;
      if (rule.times <= 0) this.rules.splice(this.rules.indexOf(rule), 1);
      return rule.error;
    }
    for (const interceptor of this.extra) {
      const refusal = interceptor(call);
      if (refusal) return refusal;
    }
    return undefined;
  }
}

function matches(rule: FailRule, call: InterceptedCall): boolean {
  if (rule.method === undefined ? call.method === 'getUpdates' : rule.method !== call.method) return false;
  return rule.chatId === undefined || rule.chatId === call.chatId;
}
