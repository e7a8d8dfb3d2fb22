// Every error a client sees has an `extensions.code` and a sentence (architecture.md, rule 7).
// Known errors keep their message; anything unexpected is logged and shown as an internal
// error without its details (which could hold a host name, SQL or worse).
import { GraphQLError } from 'graphql';
import { ArgumentValidationError, type MiddlewareFn } from 'type-graphql';
import type { ValidationError } from 'class-validator';
import { AppError } from '../../errors.js';
import { isDatabaseUnavailable } from '../../db/unavailable.js';
import { isBusUnavailable } from '../../bus/bus-unavailable.js';
import type { Logger } from '../../logger.js';

function firstConstraint(errors: ValidationError[], path: string[] = []): { field: string; message: string } | undefined {
  for (const e of errors) {
    const here = [...path, e.property];
    const message = e.constraints && Object.values(e.constraints)[0];
    if (message) return { field: here.join('.'), message };
    const nested = firstConstraint(e.children ?? [], here);
    if (nested) return nested;
  }
  return undefined;
}

export function toGraphQLError(err: unknown, logger: Logger): GraphQLError {
  // ArgumentValidationError is a GraphQLError too: it is rewritten into one sentence first.
  if (err instanceof ArgumentValidationError) {
    const first = firstConstraint(err.extensions.validationErrors as ValidationError[]);
    const message = !first
      ? 'The input is not valid.'
      : first.message.includes(first.field)
        ? `Invalid input: ${first.message}.`
        : `Invalid ${first.field}: ${first.message}.`;
    return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', field: first?.field } });
  }
  if (err instanceof GraphQLError) return err;
  if (err instanceof AppError) return new GraphQLError(err.message, { extensions: { code: err.code, ...err.details } });
  if (isDatabaseUnavailable(err)) {
    logger.warn({ err: (err as Error).message }, 'the database did not answer');
    return new GraphQLError('The database (PostgreSQL) is unavailable, so the operation did not run; try again shortly.', {
      extensions: { code: 'UNAVAILABLE' },
    });
  }
  if (isBusUnavailable(err)) {
    logger.warn({ err: (err as Error).message }, 'the task bus did not answer');
    return new GraphQLError('The task bus (NATS JetStream) did not answer, so the operation may not have finished; try again shortly.', {
      extensions: { code: 'UNAVAILABLE' },
    });
  }
  logger.error({ err }, 'unexpected error in a resolver');
  return new GraphQLError('Internal server error: the operation failed unexpectedly; it has been logged.', {
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  });
}

/** Applied to every resolver, so HTTP and WebSocket operations answer errors alike. */
export function errorMiddleware(logger: Logger): MiddlewareFn {
  return async (_data, next) => {
    try {
      return await next();
    } catch (err) {
      throw toGraphQLError(err, logger);
    }
  };
}
