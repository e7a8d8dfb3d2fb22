// Cron expressions are checked with the parser Agenda itself computes run times with
// (cron-parser), so an expression accepted here is one Agenda can schedule.
import { CronExpressionParser } from 'cron-parser';

/** Occurrences looked at to find the shortest gap of an expression (irregular ones vary). */
const SAMPLED_RUNS = 12;

/**
 * Why `expression` cannot be a sync schedule (not a valid cron expression, or runs more often
 * than every `minSeconds`), or undefined when it can.
 */
export function cronProblem(expression: string, minSeconds: number, from = new Date()): string | undefined {
  // cron-parser fills in missing fields, and Agenda reads a bare number or words ("5 minutes") as
  // an interval, not a cron: insist on 5 or 6 fields (or a macro like @daily).
  const fields = expression.trim().split(/\s+/).filter(Boolean).length;
  if (!/^@[a-z]+$/i.test(expression.trim()) && (fields < 5 || fields > 6)) {
    return `"${expression}" is not a cron expression: give 5 fields (minute hour day-of-month month day-of-week) or 6 (with seconds first)`;
  }
  let times: number[];
  try {
    const parsed = CronExpressionParser.parse(expression, { currentDate: from, strict: false });
    times = parsed.take(SAMPLED_RUNS).map((d) => d.toDate().getTime());
  } catch (err) {
    return `"${expression}" is not a valid cron expression (${(err as Error).message})`;
  }
  if (times.length === 0) return `"${expression}" never runs`;
  const gaps = times.slice(1).map((t, i) => (t - times[i]!) / 1000);
  const shortest = Math.min(...gaps);
  if (shortest < minSeconds) {
    return `"${expression}" runs as often as every ${shortest} s, under the minimum interval of ${minSeconds} seconds`;
  }
  return undefined;
}

/** The first time after `from` an expression (already checked by cronProblem) runs. */
export function nextCronRun(expression: string, from = new Date()): Date {
  return CronExpressionParser.parse(expression, { currentDate: from, strict: false }).next().toDate();
}
