// One Agenda over a job store. The backend is connected before Agenda sees it: Agenda's own
// connect in its constructor has no error handler (a store that does not answer would be an
// unhandled rejection and a `ready` that never resolves), so this one fails cleanly instead.
import { Agenda, type AgendaBackend } from 'agenda';
import { ServiceUnreachableError } from '../lib/service-unreachable.js';
import { redactUrl } from '../lib/redact-url.js';
import { createBackend, type JobStore, type OpenedBackend } from './job-store.js';
import { oneLockQueryPerName } from './one-lock-query.js';

export interface AgendaOptions {
  /** Agenda's processEvery, in milliseconds (a string like '200 milliseconds' is misread). */
  processEveryMs?: number;
  lockLifetimeMs?: number;
  /** Names this instance in the jobs it modifies (lastModifiedBy). */
  name: string;
}

export interface OpenAgenda {
  agenda: Agenda;
  /** Closes the store's connections (after agenda.stop/drain). */
  close(): Promise<void>;
}

const HOW_TO_START =
  'start MongoDB (`docker compose up -d mongo`), set MONGODB_URL, or keep the jobs in PostgreSQL with SCHEDULER_BACKEND=postgres';

export async function openAgenda(store: JobStore, opts: AgendaOptions): Promise<OpenAgenda> {
  const { backend, close } = await connectBackend(store);
  const agenda = new Agenda({
    backend: alreadyConnected(backend),
    name: opts.name,
    processEvery: opts.processEveryMs,
    defaultLockLifetime: opts.lockLifetimeMs,
  });
  await agenda.ready;
  return { agenda, close };
}

/** Connecting creates the PostgreSQL table when missing: two processes starting together may race on it. */
const CONNECT_ATTEMPTS = 3;

async function connectBackend(store: JobStore): Promise<OpenedBackend> {
  for (let attempt = 1; ; attempt++) {
    const opened = createBackend(store);
    try {
      await opened.backend.connect();
      return opened;
    } catch (err) {
      await opened.close().catch(() => undefined);
      // A PostgreSQL error (it has a SQLSTATE) from the other process's CREATE: try again.
      const sqlState = String((err as { code?: unknown }).code ?? '');
      const raced = store.kind === 'postgres' && /^[0-9A-Z]{5}$/.test(sqlState) && !sqlState.startsWith('08');
      if (raced && attempt < CONNECT_ATTEMPTS) {
        await new Promise((r) => setTimeout(r, 100 * attempt));
        continue;
      }
      const service = store.kind === 'mongodb' ? "MongoDB (the scheduler's job store)" : "PostgreSQL (the scheduler's job store)";
      throw new ServiceUnreachableError(service, redactUrl(store.url), HOW_TO_START, err);
    }
  }
}

/**
 * The backend as Agenda sees it: connecting is done; disconnecting is left to `close`; one lock
 * query per job name at a time (one-lock-query.ts).
 */
function alreadyConnected(backend: AgendaBackend): AgendaBackend {
  const repository = oneLockQueryPerName(backend.repository);
  return {
    name: backend.name,
    repository,
    get notificationChannel() {
      return backend.notificationChannel;
    },
    get logger() {
      return backend.logger;
    },
    ownsConnection: false,
    connect: async () => undefined,
    disconnect: async () => undefined,
  };
}
