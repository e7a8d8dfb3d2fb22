// Statements with parameters are prepared once per connection and then run by name: PostgreSQL
// parses each text once instead of at every run, and after a few runs may keep a generic plan.
// A small sync is a few dozen short statements, and each one's parse and plan were a large share
// of PostgreSQL's work per sync (docs/performance.md). Texts with parameters come from the code
// (values travel apart), so there are few of them; a cap per connection bounds what a text built
// per call (a list of n placeholders, say) could hold in the server's memory.
import { createHash } from 'node:crypto';
import type pg from 'pg';

/** Distinct texts prepared on one connection at most; the others run unnamed, as before. */
export const MAX_PREPARED_PER_CONNECTION = 200;

/** Makes `client` prepare each statement that has parameters, once. */
export function preparesItsStatements(client: pg.Client): void {
  const names = new Map<string, string>();
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  client.query = ((config: unknown, values?: unknown, callback?: unknown) => {
    if (typeof config === 'string' && Array.isArray(values) && values.length > 0) {
      const name = nameFor(names, config);
      if (name) return query({ name, text: config, values }, callback);
    }
    return query(config, values, callback);
  }) as typeof client.query;
}

function nameFor(names: Map<string, string>, text: string): string | undefined {
  let name = names.get(text);
  if (name || names.size >= MAX_PREPARED_PER_CONNECTION) return name;
  name = `delfin_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
  names.set(text, name);
  return name;
}
