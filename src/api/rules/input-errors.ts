// graphql-js names the place of a bad variable only in its message ('Variable "$input" got
// invalid value … at "input.extraAttributes"; <why>'); every other BAD_USER_INPUT names its
// field in extensions.field too, so a client can point at it: it is added here, after
// ./client-errors.ts has given the error its code (a scalar's own BAD_USER_INPUT included).
import type { GraphQLFormattedError } from 'graphql';

const VARIABLE_AT = /^Variable "\$[^"]+" got invalid value .* at "([^"]+)"; /s;

/** The field a variable error points at, if the error is one and names no field yet. */
export function variableField(error: GraphQLFormattedError): string | undefined {
  if (error.extensions?.code !== 'BAD_USER_INPUT' || error.extensions.field !== undefined) return undefined;
  return VARIABLE_AT.exec(error.message)?.[1];
}

/** The error with the field its variable points at, when it is such an error. */
export function withVariableField(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const field = variableField(formatted);
  return field ? { ...formatted, extensions: { ...formatted.extensions, field } } : formatted;
}
