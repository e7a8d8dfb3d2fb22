// What a taskEvents subscriber received, reduced to what tests compare: per task, the events'
// types and versions in arrival order. Every change of a task bumps its version and publishes one
// event, so a subscriber that missed none sees consecutive versions.
export interface SeenEvent {
  type: string;
  version: number;
  status: string;
}

/** Events per task id, in the order received, from subscription payloads `{ taskEvents }`. */
export function eventsByTask(received: Array<{ taskEvents: any }>): Map<string, SeenEvent[]> {
  const by = new Map<string, SeenEvent[]>();
  for (const { taskEvents: e } of received) {
    const list = by.get(e.task.id) ?? [];
    list.push({ type: e.type, version: e.task.version, status: e.task.status });
    by.set(e.task.id, list);
  }
  return by;
}

/** Why a task's event list is not complete from `fromVersion` to `toVersion` in order; undefined when it is. */
export function gapIn(events: SeenEvent[], fromVersion: number, toVersion: number): string | undefined {
  const versions = events.map((e) => e.version);
  const expected = Array.from({ length: toVersion - fromVersion + 1 }, (_, i) => fromVersion + i);
  if (versions.length === expected.length && versions.every((v, i) => v === expected[i])) return undefined;
  return `versions ${JSON.stringify(versions)}, expected ${fromVersion}..${toVersion}`;
}
