// PostgreSQL text cannot hold the NUL character: a string argument with one would fail in the
// database as an internal error. Refused up front, naming the argument (found by the fuzz test).
import type { MiddlewareFn } from 'type-graphql';
import { badInput } from '../../errors.js';

function findNul(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (value === null || typeof value !== 'object' || value instanceof Date) return undefined;
  for (const [key, v] of Object.entries(value)) {
    const found = findNul(v, Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`);
    if (found) return found;
  }
  return undefined;
}

export const refuseNulCharacters: MiddlewareFn = async ({ args }, next) => {
  for (const [name, value] of Object.entries(args ?? {})) {
    const field = findNul(value, name);
    if (field) throw badInput(`${field} contains a NUL character (\\u0000), which no field accepts.`, field);
  }
  return next();
};
