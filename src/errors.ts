// Errors a user can act on. Each has a stable code (GraphQL `extensions.code`, architecture.md
// rule 7) and a sentence a person understands. Anything else is an internal error and is shown
// as such, without its details.

export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'DRIVER_ERROR'
  | 'UNAVAILABLE'
  /** A subscriber read its events too slowly and its subscription was ended (it may subscribe again). */
  | 'FELL_BEHIND';

export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }

  /**
   * What GraphQL shows as `extensions`: graphql-js copies an original error's extensions, so
   * an AppError thrown where no middleware converts it (a subscription's subscribe) keeps its code.
   */
  get extensions(): Record<string, unknown> {
    return { code: this.code, ...this.details };
  }
}

export const badInput = (message: string, field?: string) =>
  new AppError('BAD_USER_INPUT', message, field ? { field } : {});
export const notFound = (what: string, id: string) => new AppError('NOT_FOUND', `No ${what} has the id ${id}.`, { id });
export const conflict = (message: string, details: Record<string, unknown> = {}) =>
  new AppError('CONFLICT', message, details);
export const unavailable = (message: string) => new AppError('UNAVAILABLE', message);
