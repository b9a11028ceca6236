import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger } from 'pino';

/** Options for {@link createLogger}. */
export interface LoggerOptions {
  level: string;
  /** Secret values (tokens, passwords) replaced by `***` wherever they appear in a log line. */
  secrets?: readonly string[];
  /** Where lines go; default stdout. Tests pass a stream to inspect lines. */
  destination?: DestinationStream;
}

/** Field names whose values are never logged. */
const REDACT_PATHS = [
  'phone', '*.phone', 'token', '*.token', 'secret', '*.secret', 'password', '*.password',
  'access_token', '*.access_token', 'refresh_token', '*.refresh_token',
  'headers["x-telegram-bot-api-secret-token"]', '*.headers["x-telegram-bot-api-secret-token"]',
];

/** Vietnamese mobile numbers (0xxxxxxxxx, +84xxxxxxxxx, 84xxxxxxxxx) inside free text. */
const PHONE_PATTERN = /(?<![\d:])(?:\+?84|0)(?:[\s.-]?\d){9}(?!\d)/g;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Returns a function that scrubs secrets and phone numbers from text. Used on every log line, so
 * a token inside an error message from a library (a URL with `/bot<token>/`) never reaches a log.
 */
export function createScrubber(secrets: readonly string[] = []): (text: string) => string {
  const secretPattern = secrets.length > 0 ? new RegExp(secrets.map(escapeRegExp).join('|'), 'g') : undefined;
  return (text) => {
    let out = secretPattern ? text.replace(secretPattern, '***') : text;
    out = out.replace(PHONE_PATTERN, '***phone***');
    return out;
  };
}

/** Structured JSON logger that redacts known fields and scrubs secrets from every line. */
export function createLogger(options: LoggerOptions): Logger {
  const scrub = createScrubber(options.secrets);
  const scrubbing: DestinationStream = {
    write(line: string) {
      (options.destination ?? process.stdout).write(scrub(line));
    },
  };
  return pino({
    level: options.level,
    redact: { paths: REDACT_PATHS, censor: '***' },
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
  }, scrubbing);
}
