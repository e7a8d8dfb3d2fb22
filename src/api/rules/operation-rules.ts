// One set of rules for every GraphQL operation, whichever transport brings it: Apollo over HTTP
// (./server.ts) and graphql-ws over WebSocket (./ws-server.ts) both take them from here, so a
// protection cannot hold on one and not the other. The rules: the parser's token limit,
// graphql-js's validation with our limits (./limits.ts) and, when introspection is off, no
// __schema or __type; and what a client sees of any error (./client-errors.ts): field
// suggestions hidden, a code on every error, unexpected failures masked.
import {
  GraphQLError,
  NoSchemaIntrospectionCustomRule,
  getOperationAST,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type ParseOptions,
  type ValidationRule,
} from 'graphql';
import type { Logger } from '../../logger.js';
import { clientError } from './client-errors.js';
import { limitRules, type ApiLimits } from './limits.js';
import { deepLiteralError, jsonFieldNames } from './deep-literals.js';
import { withVariableField } from './input-errors.js';
import { jsonLiteralFields } from './json-literal-fields.js';

export interface OperationRules {
  parseOptions: ParseOptions;
  /** JSON values nested deeper are refused before the parser, which would overflow its stack. */
  maxJsonDepth: number;
  /** Run after graphql-js's own (specifiedRules). */
  validationRules: ValidationRule[];
  /** The error a client receives, from its formatted form and the error it came from. */
  formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError;
}

export function operationRules(limits: ApiLimits, introspection: boolean, logger: Logger): OperationRules {
  return {
    parseOptions: { maxTokens: limits.maxTokens },
    maxJsonDepth: limits.maxJsonDepth,
    validationRules: [...limitRules(limits), ...(introspection ? [] : [NoSchemaIntrospectionCustomRule]), jsonLiteralFields],
    // Masking and codes first, then the field a bad variable points at.
    formatError: (formatted, error) => withVariableField(clientError(formatted, error, logger)),
  };
}

/** What a transport that parses and validates by itself (graphql-ws) should run, or the errors to answer. */
export type CheckedOperation = { document: DocumentNode } | { errors: GraphQLError[] };

/** Parses, validates and picks the operation as Apollo does over HTTP, with the same codes. */
export function operationChecker(schema: GraphQLSchema, rules: OperationRules) {
  const validationRules = [...specifiedRules, ...rules.validationRules];
  const jsonFields = jsonFieldNames(schema);
  return (query: string, operationName?: string | null): CheckedOperation => {
    const deep = deepLiteralError(query, rules.maxJsonDepth, jsonFields); // before the parser could overflow
    if (deep) return { errors: [deep] };
    let document: DocumentNode;
    try {
      document = parse(query, rules.parseOptions);
    } catch (err) {
      return { errors: [withCode(err as GraphQLError, 'GRAPHQL_PARSE_FAILED')] };
    }
    const errors = validate(schema, document, validationRules);
    if (errors.length) return { errors: errors.map((e) => withCode(e, 'GRAPHQL_VALIDATION_FAILED')) };
    if (!getOperationAST(document, operationName)) {
      const message = operationName ? `Unknown operation named "${operationName}".` : 'Must provide operation name if query contains multiple operations.';
      return { errors: [new GraphQLError(message, { extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } })] };
    }
    return { document };
  };
}

/** A rule's own code (the page size's BAD_USER_INPUT) is kept. */
function withCode(err: GraphQLError, code: string): GraphQLError {
  return new GraphQLError(err.message, { nodes: err.nodes, extensions: { ...err.extensions, code: err.extensions.code ?? code } });
}
