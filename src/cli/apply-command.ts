// `delfin apply -f fleet.yaml [--dry-run] [--prune]`: makes the registered storages match a file.
// It asks the API for the plan first (applyStorages with dryRun) and prints it; then, unless
// --dry-run or there is nothing to do, applies it and prints what was done. Entries the CLI
// finds bad (shape, secrets) are shown with the plan and not sent; the others go on.
import type { Command } from 'commander';
import { ApplyStoragesDocument, type ApplyStoragesMutation } from '../client/generated/graphql.js';
import { withClient } from './client-options.js';
import { readFleetFile, type BadEntry, type DeclaredFleet } from './apply-file.js';
import { CliError, printJson, printLine } from './output.js';

type Step = ApplyStoragesMutation['applyStorages']['steps'][number];

const MARK: Record<Step['action'], string> = { CREATE: '+', UPDATE: '~', UNCHANGED: '=', DELETE: '-', ERROR: '!' };
const PLANNED: Record<Step['action'], string> = { CREATE: 'to create', UPDATE: 'to update', UNCHANGED: 'unchanged', DELETE: 'to delete', ERROR: 'with errors' };
const DONE: Record<Step['action'], string> = { CREATE: 'created', UPDATE: 'updated', UNCHANGED: 'unchanged', DELETE: 'deleted', ERROR: 'failed' };

interface ApplyOpts {
  file: string;
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
        const vars = {
          input: fleet.entries.map((e) => e.declaration),
          prune: opts.prune === true,
          keepNames: fleet.bad.map((b) => b.name).filter(Boolean),
        };
        const plan = withFileIndexes((await client.request(ApplyStoragesDocument, { ...vars, dryRun: true })).applyStorages.steps, fleet);
        // The plan is shown before anything changes.
        if (!ctx.json) printPlan(withBad(plan, fleet.bad));
        const acts = plan.some((s) => s.action === 'CREATE' || s.action === 'UPDATE' || s.action === 'DELETE');
        const done = opts.dryRun || !acts ? undefined : withFileIndexes((await client.request(ApplyStoragesDocument, { ...vars, dryRun: false })).applyStorages.steps, fleet);
        if (ctx.json) printJson({ plan: withBad(plan, fleet.bad), ...(done ? { applied: withBad(done, fleet.bad) } : {}) });
        else printOutcome(done && withBad(done, fleet.bad), opts.dryRun === true);
        const failed = (done ?? plan).filter((s) => s.action === 'ERROR').length + fleet.bad.length;
        if (failed > 0) throw new CliError('APPLY_FAILED', `${failed} of ${fleet.entries.length + fleet.bad.length} entries failed; the others were ${opts.dryRun ? 'planned' : 'applied'}.`);
      });
    });
}

/** Steps carry positions in what was sent; shown, they are positions in the file. */
function withFileIndexes(steps: Step[], fleet: DeclaredFleet): Step[] {
  return steps.map((s) => (s.index == null ? s : { ...s, index: fleet.entries[s.index]!.index }));
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
