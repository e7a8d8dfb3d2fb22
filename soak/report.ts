// The report a soak prints at the end: faults by kind, tasks by outcome, what the subscribers
// saw, RSS, and every violation with the seed and its moment (to replay: the same --seed).
import type { SoakReport } from './soak.js';

export function formatReport(r: SoakReport): string {
  const lines: string[] = [];
  const kv = (o: Record<string, number>) => Object.entries(o).sort().map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
  lines.push(`# delfin soak report`);
  lines.push(`seed ${r.seed}, ${r.minutes} min of load and faults (${r.seconds} s with the quiesce and final checks)`);
  lines.push(`storages: ${r.storages.registered} registered, ${r.storages.live} at the end`);
  lines.push(`faults injected: ${Object.values(r.faults).reduce((a, b) => a + b, 0)} (${kv(r.faults)})`);
  lines.push(`system: PostgreSQL of its own, NATS cluster of 3 nodes (stream replicas 3)${r.natsDiskRefusal ? `, no full-disk fault: ${r.natsDiskRefusal}` : ', each node on a small disk of its own'}`);
  lines.push(`tasks by outcome: ${kv(r.tasks.byOutcome)}; by kind: ${kv(r.tasks.byKind)}; ${r.tasks.runs} runs; longest accepted-to-end ${r.tasks.longestSeconds.toFixed(1)} s`);
  lines.push(`periodic syncs: ${r.periodicSyncs} from ${r.schedules} schedules; SNMP traps sent: ${r.trapsSent}`);
  lines.push(`answers to the load: ${kv(r.answers)}`);
  const s = r.subscribers;
  lines.push(`subscribers: ${s.subscribers} (${s.segments} connections), ${s.eventsSeen} events, ${s.gaps} version gaps (each after a fault, or a violation), ${s.fellBehind} told FELL_BEHIND`);
  for (const g of s.gapSamples) lines.push(`  gap: ${g}`);
  lines.push(`RSS warm → end: ${r.rss.join('; ') || 'no process lived long enough'}`);
  lines.push(`operator actions beyond the faults' recovery: ${r.operatorActions.length}`);
  for (const x of r.operatorActions) lines.push(`  at ${x.at.toFixed(1)} s ${x.what}`);
  lines.push(`start-ups refused and tried again: ${r.refusedStarts.length}`);
  for (const x of r.refusedStarts.slice(0, 5)) lines.push(`  at ${x.at.toFixed(1)} s ${x.reason.slice(0, 300)}`);
  lines.push(`violations: ${r.violations.length}`);
  for (const v of r.violations) lines.push(`  - seed ${r.seed} at ${v.at} s [${v.check}] ${v.what}`);
  if (r.violations.length) lines.push(`process logs kept in ${r.logDir}`);
  lines.push('fault log (seconds after the load started):');
  for (const f of r.faultLog) lines.push(`  ${f.injectedAt.toFixed(1).padStart(7)} s  ${f.kind.padEnd(14)} ${f.what}`);
  return lines.join('\n');
}
