// Errors as Delfin answers them: an HTTP status and an ErrorSpec body
// ({ error_code, error_msg, error_args }), error_code being Delfin's exception name
// (delfin/exception.py). Our AppErrors map onto them; anything else is an internal error,
// answered without its details.
import { AppError, type ErrorCode } from '../../errors.js';

export interface ErrorSpec {
  error_code: string;
  error_msg: string;
  error_args: string[];
}

export class RestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly args: string[] = [],
  ) {
    super(message);
  }

  get body(): ErrorSpec {
    return { error_code: this.code, error_msg: this.message, error_args: this.args };
  }
}

export const invalidInput = (message: string, args: string[] = []) => new RestError(400, 'InvalidInput', message, args);
export const storageNotFound = (id: string) => new RestError(404, 'StorageNotFound', `Storage ${id} could not be found.`, [id]);
export const resourceNotFound = (code: string, what: string, id: string) => new RestError(404, code, `${what} ${id} could not be found.`, [id]);

const BY_CODE: Record<ErrorCode, [number, string]> = {
  BAD_USER_INPUT: [400, 'InvalidInput'],
  NOT_FOUND: [404, 'NotFound'],
  CONFLICT: [409, 'Conflict'],
  UNAUTHENTICATED: [401, 'NotAuthorized'],
  FORBIDDEN: [403, 'Forbidden'],
  DRIVER_ERROR: [400, 'StorageBackendException'],
  UNAVAILABLE: [503, 'ServiceUnavailable'],
  FELL_BEHIND: [500, 'InternalError'],
};

/** The answer for anything a handler threw. */
export function restErrorOf(err: unknown): RestError {
  if (err instanceof RestError) return err;
  if (err instanceof AppError) {
    const [status, code] = BY_CODE[err.code];
    // A registration of an array already registered: Delfin's StorageAlreadyExists.
    const name = err.code === 'CONFLICT' && typeof err.details.storageId === 'string' ? 'StorageAlreadyExists' : code;
    if (err.code !== 'BAD_USER_INPUT') return new RestError(status, name, err.message);
    const field = typeof err.details.field === 'string' ? [snakeCase(err.details.field)] : [];
    return new RestError(status, name, snakeCase(err.message), field);
  }
  return new RestError(500, 'InternalError', 'An unexpected error occurred; the server log says more.');
}

/**
 * The services name fields as GraphQL does (authProtocol, arrayPolling.interval); a REST user
 * sent them in Delfin's snake_case (auth_protocol, array_polling.interval).
 */
export const snakeCase = (text: string): string => text.replace(/\b[a-z]+(?:[A-Z][a-z0-9]*)+\b/g, (w) => w.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
