// The JSON scalar (driver settings such as extraAttributes). Every JSON input, a variable or a
// literal, passes here, so here its depth and size are bounded (policy api.maxJsonDepth,
// api.maxJsonBytes): a value nested thousands of levels deep overflowed the stack of what reads
// it next (validation, the resolvers) and answered an internal error. Depth is measured without
// recursion, before anything else walks the value.
import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { JSONResolver } from 'graphql-scalars';

export interface JsonLimits {
  maxDepth: number;
  maxBytes: number;
}

/** The policy's defaults (src/config.ts); the api sets the configured ones at start. */
let limits: JsonLimits = { maxDepth: 32, maxBytes: 64 * 1024 };

export function setJsonLimits(next: JsonLimits): void {
  limits = { ...next };
}

export function jsonLimits(): JsonLimits {
  return limits;
}

/**
 * The field each JSON literal is the value of ("input.extraAttributes"), noted during validation
 * (./json-literal-fields.ts): parseLiteral sees only the literal, and its error names the field.
 */
const literalFields = new WeakMap<ValueNode, string>();

export function noteJsonLiteralField(node: ValueNode, field: string): void {
  literalFields.set(node, field);
}

/** BAD_USER_INPUT naming the field where it is known (a variable's is added by ./variable-fields.ts). */
export function jsonInputError(reason: string, field?: string): GraphQLError {
  const message = field ? `${field}: ${reason}` : reason[0]!.toUpperCase() + reason.slice(1);
  return new GraphQLError(message, { extensions: field ? { code: 'BAD_USER_INPUT', field } : { code: 'BAD_USER_INPUT' } });
}

export const tooDeepReason = (maxDepth: number) => `a JSON value may nest at most ${maxDepth} levels of objects and lists (policy api.maxJsonDepth).`;

/** Levels of objects and lists in a value (0 for a scalar), without recursion; stops past `limit`. */
export function jsonDepth(value: unknown, limit = Infinity): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > limit) return deepest;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** Levels of object and list literals in a GraphQL value, without recursion; stops past `limit`. */
function literalDepth(node: ValueNode, limit: number): number {
  let deepest = 0;
  const stack: Array<[ValueNode, number]> = [[node, 0]];
  while (stack.length > 0) {
    const [n, depth] = stack.pop()!;
    const children = n.kind === Kind.OBJECT ? n.fields.map((f) => f.value) : n.kind === Kind.LIST ? n.values : undefined;
    if (!children) continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > limit) return deepest;
    for (const child of children) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** The value, once it is known to be within the limits. */
function bounded(value: unknown, field?: string): unknown {
  if (jsonDepth(value, limits.maxDepth) > limits.maxDepth) throw jsonInputError(tooDeepReason(limits.maxDepth), field);
  // Depth is bounded now, so stringify's recursion is too.
  const bytes = Buffer.byteLength(JSON.stringify(value) ?? '');
  if (bytes > limits.maxBytes) {
    throw jsonInputError(`a JSON value may take at most ${limits.maxBytes} bytes as JSON text (policy api.maxJsonBytes); this one takes ${bytes}.`, field);
  }
  return value;
}

/** A literal as a plain value (its depth already bounded, so the recursion is too). */
function fromLiteral(node: ValueNode, variables: Record<string, unknown> | null | undefined): unknown {
  switch (node.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
    case Kind.ENUM:
      return node.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(node.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return node.values.map((v) => fromLiteral(v, variables));
    case Kind.OBJECT:
      return Object.fromEntries(node.fields.map((f) => [f.name.value, fromLiteral(f.value, variables)]));
    case Kind.VARIABLE:
      return variables?.[node.name.value];
  }
}

export const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  description: JSONResolver.description,
  specifiedByURL: JSONResolver.specifiedByURL,
  serialize: (value) => value,
  parseValue: (value) => bounded(value),
  parseLiteral: (node, variables) => {
    const field = literalFields.get(node);
    if (literalDepth(node, limits.maxDepth) > limits.maxDepth) throw jsonInputError(tooDeepReason(limits.maxDepth), field);
    return bounded(fromLiteral(node, variables), field);
  },
});
