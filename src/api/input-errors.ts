// Input errors as a client gets them, over HTTP (Apollo's formatError) and graphql-ws alike:
// - graphql-js names the place of a bad variable only in its message ('Variable "$input" got
//   invalid value … at "input.extraAttributes"; <why>'); every other BAD_USER_INPUT names its
//   field in extensions.field too, so a client can point at it: it is added here.
// - a literal a scalar refuses (a JSON value over the limits) is reported by validation, which
//   Apollo codes GRAPHQL_VALIDATION_FAILED; the scalar's own BAD_USER_INPUT is kept.
import { GraphQLError, type GraphQLFormattedError } from 'graphql';

const VARIABLE_AT = /^Variable "\$[^"]+" got invalid value .* at "([^"]+)"; /s;

/** The field a variable error points at, if the error is one and names no field yet. */
export function variableField(error: GraphQLFormattedError): string | undefined {
  if (error.extensions?.code !== 'BAD_USER_INPUT' || error.extensions.field !== undefined) return undefined;
  return VARIABLE_AT.exec(error.message)?.[1];
}

/** Apollo's formatError. */
export function formatInputError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = (error as { originalError?: unknown } | null)?.originalError;
  if (formatted.extensions?.code === 'GRAPHQL_VALIDATION_FAILED' && original instanceof GraphQLError && original.extensions.code === 'BAD_USER_INPUT') {
    return { ...formatted, extensions: { ...formatted.extensions, code: 'BAD_USER_INPUT' } };
  }
  const field = variableField(formatted);
  return field ? { ...formatted, extensions: { ...formatted.extensions, field } } : formatted;
}

/** The same for a graphql-ws result. */
export function withVariableFields<T extends { errors?: readonly GraphQLError[] }>(result: T): T {
  if (!result.errors?.some((e) => variableField(e))) return result;
  const errors = result.errors.map((e) => {
    const field = variableField(e);
    return field ? new GraphQLError(e.message, { nodes: e.nodes, path: e.path, originalError: e.originalError, extensions: { ...e.extensions, field } }) : e;
  });
  return { ...result, errors };
}
