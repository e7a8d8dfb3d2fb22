// A REST body turned into a GraphQL input class is checked by the same class-validator rules
// GraphQL applies (host, port range, lengths), so both APIs refuse the same values.
import { validate, type ValidationError } from 'class-validator';
import { RestAccessInput, SshAccessInput } from '../types/inputs.js';
import { invalidInput } from './errors.js';

/** Nested input classes by field name. */
const nestedTypes: Record<string, new () => object> = { rest: RestAccessInput, ssh: SshAccessInput };

export async function checked<T extends object>(type: new () => T, value: Record<string, unknown>): Promise<T> {
  const input = build(type, value);
  const errors = await validate(input, { forbidUnknownValues: false });
  if (errors.length > 0) {
    const messages = flatten(errors);
    throw invalidInput(messages.join('; '), messages);
  }
  return input;
}

/** The class instance, its nested endpoint objects as their classes too (for ValidateNested). */
function build<T extends object>(type: new () => T, value: Record<string, unknown>): T {
  const input = Object.assign(new type(), withoutUndefined(value));
  for (const [key, v] of Object.entries(input)) {
    const nested = nestedTypes[key];
    if (nested && v && typeof v === 'object') (input as Record<string, unknown>)[key] = Object.assign(new nested(), v);
  }
  return input;
}

const withoutUndefined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

function flatten(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((e) => {
    const field = prefix + e.property;
    const own = Object.values(e.constraints ?? {}).map((m) => (m.startsWith(e.property) ? `${prefix}${m}` : `${field}: ${m}`));
    return [...own, ...flatten(e.children ?? [], `${field}.`)];
  });
}
