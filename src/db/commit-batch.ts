// Writes whose answer a transaction does not need, sent with its commit in one round trip
// instead of one round trip each. A task's start and end transactions are each half a dozen
// short statements; on a machine whose cores are busy, every round trip also pays for waking
// both sides (docs/performance.md). Their parameters are written into the text as literals,
// each the same text node-postgres would have sent as that parameter's value, so each reads
// as the parameter did (a quoted literal, typed by where it stands).
import pg from 'pg';
import type { Queryable } from './sql.js';

/** Statements gathered for a transaction's commit; a statement that fails there rolls it back whole. */
export class CommitBatch {
  private readonly statements: string[] = [];

  /** A Queryable whose statements wait for the commit: they answer no rows, at once. */
  readonly q: Queryable = {
    query: async (text, params = []) => {
      this.statements.push(inlineParameters(text, params));
      return { rows: [], rowCount: null };
    },
  };

  /** The text to send in place of `commit`: the gathered statements, then the commit. */
  withCommit(): string {
    return [...this.statements, 'commit'].join(';\n');
  }
}

/** `text` with each `$n` replaced by its value as an SQL literal. */
export function inlineParameters(text: string, params: readonly unknown[]): string {
  return text.replace(/\$(\d+)/g, (_, n: string) => {
    const i = Number(n) - 1;
    if (i < 0 || i >= params.length) throw new Error(`statement refers to $${n} but has ${params.length} parameters`);
    return literal(params[i]);
  });
}

/** node-postgres's own conversion of a parameter to its text (exported, not in its types). */
const prepareValue = (pg as unknown as { utils: { prepareValue(value: unknown): unknown } }).utils.prepareValue;

function literal(value: unknown): string {
  const prepared = prepareValue(value);
  if (prepared === null || prepared === undefined) return 'null';
  if (typeof prepared !== 'string') throw new Error(`a ${typeof prepared} value cannot be sent with a commit`);
  return pg.escapeLiteral(prepared);
}
