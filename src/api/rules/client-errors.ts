// What a client sees of an error, on every transport (./operation-rules.ts): a code on every
// error, no hint of the schema's names, and nothing of an unexpected failure but a sentence.
// Resolvers' errors are already translated (./error-handling.ts); this catches what reaches a
// client another way: validation, variables, and failures outside resolvers (a subscription's
// event stream, for one).
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from '../../logger.js';
import { toGraphQLError } from './error-handling.js';

/** graphql-js's "Did you mean …?" names fields, arguments, types and enum values of the schema. */
const SUGGESTION = /Did you mean [^?]*\?/g;
export const SUGGESTION_MASK = '[Suggestion hidden]';

/** The error as thrown: Apollo and graphql-ws both hand it beside its formatted form. */
function graphQLErrorOf(error: unknown): GraphQLError | undefined {
  if (error instanceof GraphQLError) return error;
  if (error instanceof Error) return new GraphQLError(error.message, { originalError: error });
  return undefined;
}

/**
 * The formatted error a client receives. `formatted` is the error as the transport would send
 * it; `error` is the error it came from.
 */
export function clientError(formatted: GraphQLFormattedError, error: unknown, logger: Logger): GraphQLFormattedError {
  const thrown = graphQLErrorOf(error);
  const original = thrown?.originalError;
  // A code the error carried itself: Apollo stamps GRAPHQL_VALIDATION_FAILED over the code a
  // validation rule gave (the page-size rule's BAD_USER_INPUT), and adds INTERNAL_SERVER_ERROR
  // to errors that have none.
  const ownCode = (original instanceof GraphQLError ? original.extensions.code : undefined) ?? thrown?.extensions.code;
  const isVariable = /^Variable "\$/.test(formatted.message);
  if (!ownCode && !isVariable && original && !(original instanceof GraphQLError)) {
    // Thrown outside a resolver and not ours: logged, and shown as the resolvers' errors are.
    const masked = toGraphQLError(original, logger);
    return { ...formatted, message: masked.message, extensions: { ...masked.extensions } };
  }
  const { http: _http, ...extensions } = formatted.extensions ?? {};
  const code = ownCode ?? (isVariable ? 'BAD_USER_INPUT' : extensions.code ?? 'INTERNAL_SERVER_ERROR');
  return {
    ...formatted,
    message: formatted.message.replace(SUGGESTION, SUGGESTION_MASK),
    extensions: { ...extensions, code },
  };
}
