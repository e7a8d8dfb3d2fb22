// One structured logger (pino). Access-info passwords never reach it: the redact paths are a
// second line of defence behind code that never logs access info.
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string, role?: string): Logger {
  return pino({
    level,
    base: role ? { role } : undefined,
    redact: { paths: ['*.password', '*.*.password', 'password', '*.secretKey', 'authorization'], censor: '[redacted]' },
  });
}
