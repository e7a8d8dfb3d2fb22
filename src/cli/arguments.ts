// Parsers of option values: a bad value is a usage error (commander prints `error: option ...`
// and the command exits 2), found before anything is sent to the API.
import { InvalidArgumentError } from 'commander';
import type { TaskPriority, TaskStatus } from '../client/generated/graphql.js';

export const PRIORITIES: readonly TaskPriority[] = ['LOW', 'NORMAL', 'HIGH'];
export const TASK_STATUSES: readonly TaskStatus[] = ['SCHEDULED', 'QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'];

export function parseNonNegativeInt(value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError('expected a whole number.');
  return Number(value.trim());
}

export function parsePort(value: string): number {
  const port = parseNonNegativeInt(value);
  if (port < 1 || port > 65535) throw new InvalidArgumentError('expected a port from 1 to 65535.');
  return port;
}

export function parseJsonObject(value: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (err) {
    throw new InvalidArgumentError(`not JSON (${err instanceof Error ? err.message : String(err)}).`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new InvalidArgumentError('expected a JSON object, e.g. \'{"volumes": 2000}\'.');
  return parsed as Record<string, unknown>;
}

export function parsePriority(value: string): TaskPriority {
  const p = value.trim().toUpperCase();
  if (!(PRIORITIES as readonly string[]).includes(p)) throw new InvalidArgumentError(`expected one of ${PRIORITIES.join(', ')}.`);
  return p as TaskPriority;
}

/** Repeatable and comma-separated: `--status FAILED CANCELLED`, `--status failed,cancelled`. */
export function parseStatuses(value: string, previous: TaskStatus[] = []): TaskStatus[] {
  const statuses = value
    .split(',')
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
  for (const s of statuses) {
    if (!(TASK_STATUSES as readonly string[]).includes(s)) throw new InvalidArgumentError(`"${s}" is not a task status; expected ${TASK_STATUSES.join(', ')}.`);
  }
  return [...previous, ...(statuses as TaskStatus[])];
}
