// The conformance kit's result: one line per check, its problems under it.

export interface CheckResult {
  /** What was checked, e.g. "listPools". */
  name: string;
  /** What was seen when it holds, e.g. "3 pools in 12 ms". */
  summary: string;
  /** Sentences saying what does not hold; empty when the check passed. */
  problems: string[];
  /** Not run (its driver method is absent, or what it needs failed). */
  skipped?: boolean;
}

export interface ConformanceReport {
  driver: string;
  checks: CheckResult[];
  /** Every check that ran passed. */
  passed: boolean;
}

export function makeReport(driver: string, checks: CheckResult[]): ConformanceReport {
  return { driver, checks, passed: checks.every((c) => c.problems.length === 0) };
}

/** The report as text for a terminal. */
export function formatReport(report: ConformanceReport): string {
  const lines = [`driver conformance: ${report.driver}`];
  for (const c of report.checks) {
    const mark = c.skipped ? 'skip' : c.problems.length ? 'FAIL' : 'ok';
    lines.push(`  ${mark.padEnd(4)}  ${c.name}: ${c.summary}`);
    for (const p of c.problems) lines.push(`          - ${p}`);
  }
  const failed = report.checks.filter((c) => c.problems.length).length;
  const ran = report.checks.filter((c) => !c.skipped).length;
  lines.push(report.passed ? `passed: ${ran} checks ran, none failed` : `FAILED: ${failed} of ${ran} checks failed`);
  return lines.join('\n') + '\n';
}
