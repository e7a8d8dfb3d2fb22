// What the operator commands print: JSON for scripts (`--json`), aligned tables and key/value
// blocks for people, and errors as one line `delfin: <message> (<code>)` on stderr with exit 1.
import { DelfinClientError } from '../client/client.js';

/** An error the CLI itself finds (e.g. a storage that is not there): shown like an API error. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** One JSON document (or one event, for --watch) per line. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

export function printLine(line = ''): void {
  process.stdout.write(`${line}\n`);
}

/** `--quiet`: only ids, one per line, for `SID=$(delfin ... --quiet)` in a shell. */
export function printIds(ids: readonly string[]): void {
  for (const id of ids) printLine(id);
}

/** The `--quiet` option of commands that register, queue or list things. */
export const QUIET_DESCRIPTION = 'print only ids, one per line (for SID=$(delfin ... --quiet))';

/** Columns aligned on the widest cell; `rows` are already strings. */
export function printTable(headers: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  printLine(line(headers));
  for (const row of rows) printLine(line(row));
}

/** `key: value` lines, keys aligned; null/undefined values are left out. */
export function printFields(fields: ReadonlyArray<readonly [string, string | number | null | undefined]>): void {
  const shown = fields.filter(([, v]) => v !== null && v !== undefined && v !== '');
  const width = Math.max(...shown.map(([k]) => k.length));
  for (const [k, v] of shown) printLine(`${`${k}:`.padEnd(width + 1)} ${String(v)}`);
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];

/** Bytes (the API's BigInt decimal strings) for people: 1.5 TiB. Exact values are in --json. */
export function formatBytes(bytes: string | null | undefined): string {
  if (bytes == null) return '-';
  let n: bigint;
  try {
    n = BigInt(bytes);
  } catch {
    return bytes;
  }
  let unit = 0;
  let scaled = Number(n);
  while (scaled >= 1024 && unit < UNITS.length - 1) {
    scaled /= 1024;
    unit++;
  }
  return unit === 0 ? `${n} B` : `${scaled.toFixed(scaled >= 100 ? 0 : 1)} ${UNITS[unit]}`;
}

export function formatPercent(progress: number): string {
  return `${Math.round(Math.max(0, Math.min(1, progress)) * 100)}%`;
}

/** The code and sentence of any error, as `delfin: <message> (<code>)` shows them. */
export function describeError(err: unknown, url?: string): { message: string; code: string } {
  if (err instanceof DelfinClientError || err instanceof CliError) return { message: err.message, code: err.code };
  if (err instanceof TypeError && err.message === 'fetch failed') {
    const cause = (err as { cause?: { message?: string } }).cause;
    return { message: `cannot reach the delfin API${url ? ` at ${url}` : ''}: ${cause?.message ?? err.message}`, code: 'UNREACHABLE' };
  }
  return { message: err instanceof Error ? err.message : String(err), code: 'INTERNAL' };
}

/** Prints the error line on stderr and sets exit code 1. */
export function reportError(err: unknown, url?: string): void {
  const { message, code } = describeError(err, url);
  process.stderr.write(`delfin: ${message} (${code})\n`);
  process.exitCode = 1;
}
