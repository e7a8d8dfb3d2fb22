// applyStorages: a fleet declared as a whole is registered, updated and (with prune) removed.
// Each declaration is matched to the storage registered under its name; the plan says per
// entry what would change (CREATE, UPDATE with the parts, UNCHANGED, ERROR), a dry run stops
// there, and a real run carries each entry out on its own: one entry failing stops no other.
// Every part is checked before anything of an entry changes, so a bad schedule does not leave a
// storage half-registered. Prune deletes storages named by no declaration.
import { AppError, badInput, conflict } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { Sql } from '../../db/sql.js';
import type { SecretBox } from '../../db/secrets.js';
import type { DriverRegistry } from '../../drivers/registry.js';
import { validateAlertSource, type AlertSource } from '../../alerts/alert-source.js';
import { decryptAccess } from '../../tasks/runtime/open-device.js';
import { getAccessInfos } from '../../db/stores/access-info-store.js';
import { getSchedules } from '../../db/stores/sync-schedule-store.js';
import { namedStorages, setDescription, type NamedStorage } from '../../db/stores/storage-store.js';
import type { Repeat } from '../../scheduler/jobs.js';
import type { StorageDeclarationInput, StorageApplyResult, StorageApplyStep } from '../types/apply.js';
import { checkAccessInput } from './access-input.js';
import type { AlertService } from './alert-service.js';
import type { MetricsConfigService } from './metrics-config-service.js';
import type { ScheduleService } from './schedule-service.js';
import type { StorageService } from './storage-service.js';
import { accessDiffers, alertSourceDiffers, metricsDiffer, scheduleDiffers, type DeclaredPart } from './declared-changes.js';

export interface ApplyServiceDeps {
  sql: Sql;
  box: SecretBox;
  registry: DriverRegistry;
  storages: StorageService;
  schedules: ScheduleService;
  metricsConfigs: MetricsConfigService;
  alerts: AlertService;
  logger: Logger;
}

export interface ApplyOptions {
  dryRun: boolean;
  prune: boolean;
  /** Names the client declared but could not send (an entry it found bad): never pruned. */
  keepNames: readonly string[];
}

/** Entries carried out at once: registrations wait on their driver, so a few overlap. */
const AT_ONCE = 4;

/** One declaration, checked: what it asks for beyond the registration itself. */
interface CheckedDeclaration {
  decl: StorageDeclarationInput;
  index: number;
  repeat?: Repeat;
  alertSource?: AlertSource;
}

export class ApplyService {
  constructor(private readonly deps: ApplyServiceDeps) {}

  async apply(decls: StorageDeclarationInput[], opts: ApplyOptions): Promise<StorageApplyResult> {
    const names = decls.map((d) => d.name);
    const existing = groupByName(await namedStorages(this.deps.sql.q, names));
    const repeated = new Set(names.filter((n, i) => names.indexOf(n) !== i));
    const steps = await mapAtMost(AT_ONCE, decls, async (decl, index): Promise<StorageApplyStep> =>
      repeated.has(decl.name)
        ? failed(decl.name, index, undefined, [], badInput(`The name "${decl.name}" is declared more than once; each entry names one storage.`, 'name'))
        : this.applyOne({ decl, index }, existing.get(decl.name) ?? [], opts.dryRun),
    );
    if (opts.prune) steps.push(...(await this.prune(new Set([...names, ...opts.keepNames]), opts.dryRun)));
    return { dryRun: opts.dryRun, steps };
  }

  private async applyOne(entry: CheckedDeclaration, matches: NamedStorage[], dryRun: boolean): Promise<StorageApplyStep> {
    const { decl, index } = entry;
    const storage = matches[0];
    let changes: string[] = [];
    try {
      if (matches.length > 1) {
        throw conflict(`${matches.length} storages are registered under the name "${decl.name}"; rename all but one to apply this entry.`, { field: 'name' });
      }
      this.check(entry, storage);
      // A new storage gets its description at registration; the other parts after it.
      const parts = storage ? await this.changesOf(entry, storage) : declaredParts(decl);
      changes = storage ? parts : ['register', ...parts];
      const action = !storage ? 'CREATE' : parts.length ? 'UPDATE' : 'UNCHANGED';
      if (dryRun || action === 'UNCHANGED') return { name: decl.name, index, action, storageId: storage?.id ?? null, changes };
      const id = storage ? storage.id : await this.register(decl);
      try {
        await this.setParts(entry, id, parts);
      } catch (err) {
        return failed(decl.name, index, id, changes, err, this.deps.logger);
      }
      return { name: decl.name, index, action, storageId: id, changes };
    } catch (err) {
      return failed(decl.name, index, storage?.id, changes, err, this.deps.logger);
    }
  }

  /** Every part checked before anything changes: BAD_USER_INPUT naming the declaration's field. */
  private check(entry: CheckedDeclaration, storage: NamedStorage | undefined): void {
    const { decl } = entry;
    if (storage && (storage.vendor !== decl.vendor || storage.model !== decl.model)) {
      throw badInput(
        `"${decl.name}" is registered as ${storage.vendor}/${storage.model}, not ${decl.vendor}/${decl.model}: a storage's driver cannot change; delete it (or use another name) to register it anew.`,
        'vendor',
      );
    }
    if (!storage) {
      if (!this.deps.registry.find(decl.vendor, decl.model)) {
        const known = this.deps.registry.list().map((d) => `${d.vendor}/${d.model}`).join(', ');
        throw badInput(`No driver is installed for vendor "${decl.vendor}" model "${decl.model}" (installed: ${known}).`, 'vendor');
      }
      checkAccessInput(decl);
    } else if (decl.rest || decl.ssh || decl.extraAttributes !== undefined) {
      checkAccessInput({ rest: decl.rest, ssh: decl.ssh, extraAttributes: decl.extraAttributes });
    }
    inPart('syncSchedule', () => {
      if (decl.syncSchedule) entry.repeat = this.deps.schedules.checkRepeat(decl.syncSchedule);
      if (decl.syncSchedule?.enabled && !entry.repeat) throw badInput('Give intervalSeconds or cron: how often the storage is synced.', 'intervalSeconds');
    });
    inPart('metricsConfig', () => decl.metricsConfig && this.deps.metricsConfigs.check(decl.metricsConfig));
    inPart('alertSource', () => {
      if (decl.alertSource) entry.alertSource = validateAlertSource(storage?.id ?? '', decl.alertSource);
    });
  }

  /** The parts of a registered storage that differ from its declaration. */
  private async changesOf(entry: CheckedDeclaration, storage: NamedStorage): Promise<DeclaredPart[]> {
    const { decl } = entry;
    const q = this.deps.sql.q;
    const changes: DeclaredPart[] = [];
    if (decl.rest || decl.ssh || decl.extraAttributes !== undefined) {
      const [stored] = await getAccessInfos(q, [storage.id]);
      if (!stored || accessDiffers(decl, decryptAccess(this.deps.box, stored))) changes.push('access');
    }
    if (decl.description !== undefined && (decl.description ?? null) !== storage.description) changes.push('description');
    if (decl.syncSchedule) {
      const [stored] = await getSchedules(q, [storage.id]);
      if (scheduleDiffers(decl.syncSchedule.enabled, entry.repeat, stored ?? null)) changes.push('syncSchedule');
    }
    if (decl.metricsConfig) {
      const [stored] = await this.deps.metricsConfigs.configsOf([storage.id]);
      if (metricsDiffer(decl.metricsConfig, stored!)) changes.push('metricsConfig');
    }
    if (entry.alertSource && alertSourceDiffers({ ...entry.alertSource, storageId: storage.id }, await this.deps.alerts.openedSource(storage.id))) {
      changes.push('alertSource');
    }
    return changes;
  }

  private async register(decl: StorageDeclarationInput): Promise<string> {
    const s = await this.deps.storages.register({
      vendor: decl.vendor,
      model: decl.model,
      name: decl.name,
      description: decl.description ?? null,
      rest: decl.rest ?? null,
      ssh: decl.ssh ?? null,
      extraAttributes: decl.extraAttributes ?? null,
    });
    return s.id;
  }

  private async setParts(entry: CheckedDeclaration, id: string, parts: DeclaredPart[]): Promise<void> {
    const { decl } = entry;
    for (const part of parts) {
      await inPartAsync(part, async () => {
        if (part === 'access') await this.deps.storages.updateAccessInfo(id, { rest: decl.rest, ssh: decl.ssh, extraAttributes: decl.extraAttributes });
        if (part === 'description') await setDescription(this.deps.sql.q, id, decl.description ?? null);
        if (part === 'syncSchedule') await this.setSchedule(id, entry);
        if (part === 'metricsConfig') await this.deps.metricsConfigs.update(id, decl.metricsConfig!);
        if (part === 'alertSource') await this.deps.alerts.setSource(id, decl.alertSource!);
      });
    }
  }

  /** `enabled: false` alone disables the schedule the storage has; with none, there is nothing to do. */
  private async setSchedule(id: string, entry: CheckedDeclaration): Promise<void> {
    const schedule = entry.decl.syncSchedule!;
    const disablesNone = !schedule.enabled && !entry.repeat && (await getSchedules(this.deps.sql.q, [id])).length === 0;
    if (!disablesNone) await this.deps.schedules.setSyncSchedule(id, schedule);
  }

  /** Storages no declaration names: deleted (planned only, in a dry run). */
  private async prune(declared: Set<string>, dryRun: boolean): Promise<StorageApplyStep[]> {
    const gone = (await namedStorages(this.deps.sql.q)).filter((s) => !declared.has(s.name));
    return mapAtMost(AT_ONCE, gone, async (s) => {
      const step: StorageApplyStep = { name: s.name, index: null, action: 'DELETE', storageId: s.id, changes: ['delete'] };
      if (dryRun) return step;
      try {
        await this.deps.storages.delete(s.id);
        return step;
      } catch (err) {
        return failed(s.name, null, s.id, ['delete'], err, this.deps.logger);
      }
    });
  }
}

/** The parts a new storage's declaration sets besides its registration. */
function declaredParts(decl: StorageDeclarationInput): DeclaredPart[] {
  const parts: DeclaredPart[] = [];
  if (decl.syncSchedule) parts.push('syncSchedule');
  if (decl.metricsConfig) parts.push('metricsConfig');
  if (decl.alertSource) parts.push('alertSource');
  return parts;
}

/** A field error of a part names the declaration's field: `intervalSeconds` → `syncSchedule.intervalSeconds`. */
function prefixed(part: string, err: unknown): unknown {
  if (!(err instanceof AppError)) return err;
  const field = typeof err.details.field === 'string' ? `${part}.${err.details.field}` : part;
  return new AppError(err.code, err.message, { ...err.details, field });
}

function inPart(part: string, fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    throw prefixed(part, err);
  }
}

async function inPartAsync(part: string, fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    throw part === 'access' ? err : prefixed(part, err);
  }
}

function failed(name: string, index: number | null, storageId: string | undefined, changes: string[], err: unknown, logger?: Logger): StorageApplyStep {
  const known = err instanceof AppError;
  if (!known) logger?.error({ err }, `applyStorages: ${name} failed`);
  return {
    name,
    index,
    action: 'ERROR',
    storageId: storageId ?? null,
    changes,
    error: known
      ? { code: err.code, message: err.message, field: typeof err.details.field === 'string' ? err.details.field : null }
      : { code: 'INTERNAL_SERVER_ERROR', message: 'An internal error occurred; it was logged.', field: null },
  };
}

function groupByName(storages: NamedStorage[]): Map<string, NamedStorage[]> {
  const byName = new Map<string, NamedStorage[]>();
  for (const s of storages) byName.set(s.name, [...(byName.get(s.name) ?? []), s]);
  return byName;
}

/** `fn` over `items`, at most `limit` at once; results in the items' order. */
async function mapAtMost<T, R>(limit: number, items: readonly T[], fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}
