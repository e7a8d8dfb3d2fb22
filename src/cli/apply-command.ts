// `delfin apply -f fleet.yaml [--dry-run] [--prune]`: makes the registered storages match a file.
// It asks the API for the plan first (applyStorages with dryRun) and prints it; then, unless
// --dry-run or there is nothing to do, applies it and prints what was done. Entries the CLI
// finds bad (shape, secrets) are shown with the plan and not sent; the others go on.
import { InvalidArgumentError, type Command } from 'commander';
import { ApplyStoragesDocument, type ApplyStoragesMutation } from '../client/generated/graphql.js';
import type { DelfinClient } from '../client/client.js';
import { parseNonNegativeInt } from './arguments.js';
import { withClient } from './client-options.js';
import { readFleetFile, type BadEntry, type DeclaredFleet } from './apply-file.js';
import { CliError, printJson, printLine } from './output.js';

type Step = ApplyStoragesMutation['applyStorages']['steps'][number];

function parsePositiveInt(value: string): number {
  const n = parseNonNegativeInt(value);
  if (n < 1) throw new InvalidArgumentError('expected a whole number of at least 1.');
  return n;
}

const MARK: Record<Step['action'], string> = { CREATE: '+', UPDATE: '~', UNCHANGED: '=', DELETE: '-', ERROR: '!' };
const PLANNED: Record<Step['action'], string> = { CREATE: 'to create', UPDATE: 'to update', UNCHANGED: 'unchanged', DELETE: 'to delete', ERROR: 'with errors' };
const DONE: Record<Step['action'], string> = { CREATE: 'created', UPDATE: 'updated', UNCHANGED: 'unchanged', DELETE: 'deleted', ERROR: 'failed' };

interface ApplyOpts {
  file: string;
  batch: number;
  dryRun?: boolean;
  prune?: boolean;
}

export function registerApplyCommand(program: Command): Command {
  return program
    .command('apply')
    .description('register, update and (with --prune) delete storages so they match a file (see docs/cli.md, "apply")')
    .requiredOption('-f, --file <path>', 'the file: YAML or JSON, `storages:` a list of declarations')
    .option('--dry-run', 'print the plan only; change nothing')
    .option('--prune', 'also delete the storages the file does not name')
    .option('--batch <n>', 'entries sent per request', parsePositiveInt, 200)
    .action(async (opts: ApplyOpts, cmd: Command) => {
      let fleet: DeclaredFleet;
      try {
        fleet = readFleetFile(opts.file);
      } catch (err) {
        cmd.error(`error: ${(err as Error).message}`, { exitCode: 2, code: 'delfin.usage' });
      }
      if (opts.prune && fleet.bad.some((b) => !b.name)) {
        cmd.error('error: an entry without a name cannot be told from the storages to prune; fix it, or apply without --prune', { exitCode: 2, code: 'delfin.usage' });
      }
      await withClient(cmd, async (client, ctx) => {
        const run = (dryRun: boolean) => applyInBatches(client, fleet, { dryRun, prune: opts.prune === true, batch: opts.batch });
        const plan = await run(true);
        // The plan is shown before anything changes.
        if (!ctx.json) printPlan(withBad(plan, fleet.bad));
        const acts = plan.some((s) => s.action === 'CREATE' || s.action === 'UPDATE' || s.action === 'DELETE');
        const done = opts.dryRun || !acts ? undefined : await run(false);
        if (ctx.json) printJson({ plan: withBad(plan, fleet.bad), ...(done ? { applied: withBad(done, fleet.bad) } : {}) });
        else printOutcome(done && withBad(done, fleet.bad), opts.dryRun === true);
        const failures = failureSummary(done ?? plan, fleet);
        if (failures) throw new CliError('APPLY_FAILED', `${failures}; the others were ${opts.dryRun ? 'planned' : 'applied'}.`);
      });
    });
}

/**
 * The entries go `batch` at a time (a request stays within the API's body limit however long the
 * file); pruning comes last, in a request of its own naming every entry of the file.
 */
async function applyInBatches(client: DelfinClient, fleet: DeclaredFleet, opts: { dryRun: boolean; prune: boolean; batch: number }): Promise<Step[]> {
  const steps: Step[] = [];
  for (let from = 0; from < fleet.entries.length; from += opts.batch) {
    const batch = fleet.entries.slice(from, from + opts.batch);
    const data = await client.request(ApplyStoragesDocument, { input: batch.map((e) => e.declaration), dryRun: opts.dryRun, prune: false });
    steps.push(...data.applyStorages.steps.map((s) => ({ ...s, index: s.index == null ? null : batch[s.index]!.index })));
  }
  if (opts.prune) {
    const keepNames = [...fleet.entries.map((e) => e.declaration.name), ...fleet.bad.map((b) => b.name)];
    const data = await client.request(ApplyStoragesDocument, { input: [], dryRun: opts.dryRun, prune: true, keepNames });
    steps.push(...data.applyStorages.steps);
  }
  return steps;
}

/** "2 of 9 entries failed; 1 storages could not be pruned", or undefined when nothing failed. */
function failureSummary(steps: Step[], fleet: DeclaredFleet): string | undefined {
  const failed = steps.filter((s) => s.action === 'ERROR' && s.index != null).length + fleet.bad.length;
  const pruneFailed = steps.filter((s) => s.action === 'ERROR' && s.index == null).length;
  const parts = [
    failed ? `${failed} of ${fleet.entries.length + fleet.bad.length} entries failed` : '',
    pruneFailed ? `${pruneFailed} storages could not be pruned` : '',
  ].filter(Boolean);
  return parts.length ? parts.join('; ') : undefined;
}

/** The entries the CLI did not send, as ERROR steps, in file order with the rest. */
function withBad(steps: Step[], bad: BadEntry[]): Step[] {
  const local: Step[] = bad.map((b) => ({
    name: b.name,
    index: b.index,
    action: 'ERROR',
    storageId: null,
    changes: [],
    error: { code: 'BAD_USER_INPUT', message: b.message, field: b.field },
  }));
  const order = (s: Step) => (s.index == null ? Number.MAX_SAFE_INTEGER : s.index);
  return [...steps, ...local].sort((a, b) => order(a) - order(b));
}

function stepLine(s: Step): string {
  const what = s.action === 'ERROR' ? 'error' : s.action.toLowerCase();
  const where = s.index == null ? '' : ` (entry ${s.index + 1})`;
  const label = s.name ? `"${s.name}"` : '(unnamed)';
  if (s.error) return `${MARK[s.action]} ${what.padEnd(9)} ${label}${where}: ${s.error.field ? `${s.error.field}: ` : ''}${s.error.message} (${s.error.code})`;
  const changes = s.changes.length && s.action !== 'DELETE' ? ` (${s.changes.join(', ')})` : '';
  return `${MARK[s.action]} ${what.padEnd(9)} ${label}${where}${changes}`;
}

function counts(steps: Step[], words: Record<Step['action'], string>): string {
  const actions: Step['action'][] = ['CREATE', 'UPDATE', 'UNCHANGED', 'DELETE', 'ERROR'];
  return actions.map((a) => `${steps.filter((s) => s.action === a).length} ${words[a]}`).join(', ');
}

function printPlan(plan: Step[]): void {
  printLine('Plan:');
  for (const s of plan) printLine(`  ${stepLine(s)}`);
  printLine(`Plan: ${counts(plan, PLANNED)}.`);
}

function printOutcome(done: Step[] | undefined, dryRun: boolean): void {
  if (dryRun) return printLine('Dry run: nothing was changed.');
  if (!done) return printLine('Nothing to change.');
  printLine('Applied:');
  for (const s of done.filter((d) => d.action !== 'UNCHANGED')) printLine(`  ${stepLine(s)}`);
  printLine(`Applied: ${counts(done, DONE)}.`);
}
