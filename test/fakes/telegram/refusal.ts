import type { FakeApiError } from './types.js';

/** Thrown by method handlers; becomes `{ok:false, error_code, description, parameters?}`. */
export class ApiRefusal extends Error {
  constructor(readonly error: FakeApiError) {
    super(`${error.error_code}: ${error.description}`);
  }
}

/** Shorthand for a 400 refusal with Telegram's `Bad Request: ` prefix. */
export function badRequest(detail: string): ApiRefusal {
  return new ApiRefusal({ error_code: 400, description: `Bad Request: ${detail}` });
}
