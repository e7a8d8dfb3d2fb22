// Custom scalars of the contract. BigInt is always a decimal string on the wire: exact at any
// size (capacities exceed 2^53 bytes on large arrays) and one type for typed clients.
import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';

const INTEGER = /^-?\d+$/;

function toBigInt(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === 'string' && INTEGER.test(value)) return BigInt(value);
  throw new GraphQLError(`BigInt must be a whole number (a decimal string or a safe integer); got ${JSON.stringify(value)}`, {
    extensions: { code: 'BAD_USER_INPUT' },
  });
}

export const BigIntScalar = new GraphQLScalarType<bigint, string>({
  name: 'BigInt',
  description: 'A whole number of any size, written as a decimal string (capacities in bytes).',
  serialize: (value) => toBigInt(value).toString(),
  parseValue: (value) => toBigInt(value),
  parseLiteral: (ast) => {
    if (ast.kind === Kind.INT || ast.kind === Kind.STRING) return toBigInt(ast.value);
    throw new GraphQLError('BigInt must be written as an integer or a decimal string', { extensions: { code: 'BAD_USER_INPUT' } });
  },
});

export const DateTimeScalar = DateTimeResolver;
export { JSONScalar } from './json-scalar.js';
