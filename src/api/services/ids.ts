import { badInput } from '../../errors.js';
import { isId } from '../../lib/ids.js';

/** An id argument that cannot be one of ours is bad input, not a database error. */
export function mustBeId(value: string, field: string): string {
  if (!isId(value)) throw badInput(`${field} must be an id given by this API; got "${value}".`, field);
  return value;
}
