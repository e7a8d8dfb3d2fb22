// Peak resident memory of another process (Linux): VmHWM in /proc/<pid>/status, which writing
// "5" to /proc/<pid>/clear_refs resets, so each phase of a benchmark gets its own peak.
import { readFileSync, writeFileSync } from 'node:fs';

export function resetPeakRss(pid: number): void {
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
}

export function peakRssBytes(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'));
  if (!line) throw new Error(`no VmHWM for process ${pid}`);
  return Number(line.replace(/\D+/g, '')) * 1024;
}
