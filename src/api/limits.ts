// Limits on what one operation may ask (policy `api`): depth, cost, aliases and directives
// through graphql-armor's validation rules, tokens through graphql-js's parser. The same rules
// apply over HTTP (Apollo) and over graphql-ws.
import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  GraphQLError,
  NoSchemaIntrospectionCustomRule,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import type { Policy } from '../config.js';
import { deepLiteralError, jsonFieldNames } from './deep-literals.js';
import { jsonLiteralFields } from './json-literal-fields.js';

export type ApiLimits = Policy['api'];

/**
 * An operation over a limit is reported as a validation error in plain words: armor would
 * throw it, worded "Syntax Error: …", though nothing is wrong with the syntax.
 */
const asValidationError = {
  propagateOnRejection: false,
  onReject: [
    (ctx: { reportError(e: GraphQLError): void } | null, err: GraphQLError) =>
      ctx?.reportError(new GraphQLError(err.message.replace(/^Syntax Error: /, ''), { nodes: err.nodes })),
  ],
};

/** graphql-armor's Apollo protection: its validation rules and its plugin that hides field suggestions. */
export function armorProtection(limits: ApiLimits) {
  return new ApolloArmor({
    maxDepth: { n: limits.maxDepth, ...asValidationError },
    costLimit: { maxCost: limits.maxCost, ...asValidationError },
    maxAliases: { n: limits.maxAliases, ...asValidationError },
    maxDirectives: { n: limits.maxDirectives, ...asValidationError },
    // Tokens are limited by graphql-js's own parser option (parseOptions), for HTTP and WebSocket alike.
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: true },
  }).protect();
}

/** What graphql-ws should run, or the errors to answer (as Apollo would over HTTP). */
export type CheckedOperation = { document: DocumentNode } | { errors: GraphQLError[] };

/** Parses and validates a graphql-ws operation with the limits and, when off, without introspection. */
export function operationChecker(schema: GraphQLSchema, limits: ApiLimits, introspection: boolean) {
  const rules: ValidationRule[] = [
    ...specifiedRules,
    ...armorProtection(limits).validationRules,
    ...(introspection ? [] : [NoSchemaIntrospectionCustomRule]),
    jsonLiteralFields,
  ];
  const jsonFields = jsonFieldNames(schema);
  return (query: string): CheckedOperation => {
    const deep = deepLiteralError(query, limits.maxJsonDepth, jsonFields); // before the parser could overflow
    if (deep) return { errors: [deep] };
    let document: DocumentNode;
    try {
      document = parse(query, { maxTokens: limits.maxTokens });
    } catch (err) {
      return { errors: [withCode(err as GraphQLError, 'GRAPHQL_PARSE_FAILED')] };
    }
    const errors = validate(schema, document, rules);
    return errors.length ? { errors: errors.map((e) => withCode(e, 'GRAPHQL_VALIDATION_FAILED')) } : { document };
  };
}

/** A code the error already has (a scalar's BAD_USER_INPUT) is kept. */
function withCode(err: GraphQLError, code: string): GraphQLError {
  return new GraphQLError(err.message, { nodes: err.nodes, extensions: { ...err.extensions, code: err.extensions.code ?? code } });
}
