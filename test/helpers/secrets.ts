import { createSecretBox } from '../../db/secret-box.js';

/** A fixed secrets key for tests (64 hex digits): set as `SECRETS_KEY` where a test must seal what the bot opens. */
export const TEST_SECRETS_KEY = '7e1f0c2b9a8d4e3f5a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b';

/** The box of {@link TEST_SECRETS_KEY}. */
export const testBox = createSecretBox(Buffer.from(TEST_SECRETS_KEY, 'hex'));
