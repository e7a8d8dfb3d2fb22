// Alert severities as the page shows them: a name (also the CSS class severity-<name>, which
// gives the colour) and an order, most severe first.
const ORDER = ['FATAL', 'CRITICAL', 'MAJOR', 'MINOR', 'WARNING', 'INFORMATIONAL', 'NOT_SPECIFIED'];

export function severityName(severity: string): string {
  return severity === 'NOT_SPECIFIED' ? 'unspecified' : severity.toLowerCase();
}

/** The most severe of these (NOT_SPECIFIED when none is known). */
export function worstSeverity(severities: readonly string[]): string {
  return ORDER.find((s) => severities.includes(s)) ?? 'NOT_SPECIFIED';
}
