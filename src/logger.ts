// One structured logger (pino). Access-info passwords never reach it: the redact paths are a
// second line of defence behind code that never logs access info.
import { pino, type Logger, type LoggerOptions } from 'pino';
import type { LogFormat } from './config.js';

export type { Logger };

/**
 * `json`: one JSON object a line on standard output (for log collectors, and what tests parse).
 * `pretty`: one human-readable line per entry, formatted by pino-pretty in pino's transport
 * thread; pino flushes that thread when the process exits, so no line is lost on SIGTERM.
 */
export function createLogger(level: string, role?: string, format: LogFormat = 'json'): Logger {
  const options: LoggerOptions = {
    level,
    base: role ? { role } : undefined,
    redact: { paths: ['*.password', '*.*.password', 'password', '*.secretKey', 'authorization'], censor: '[redacted]' },
  };
  if (format === 'json' || level === 'silent') return pino(options);
  return pino({ ...options, transport: { target: 'pino-pretty', options: prettyOptions() } });
}

function prettyOptions() {
  return {
    // Colours only where a person reads them: a terminal, not a file the output is sent to.
    colorize: process.stdout.isTTY === true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,role',
    messageFormat: '{if role}[{role}] {end}{msg}',
    // The fields of an entry follow its message on the same line: one line per event.
    singleLine: true,
  };
}
