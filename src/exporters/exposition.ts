// Prometheus' text exposition format, written directly: the inventory and system figures are
// read afresh at every scrape, so they are rendered from rows rather than kept in gauges.

export type MetricType = 'gauge' | 'counter' | 'histogram';

export interface Sample {
  /** The sample's own name when it differs from the family's (a histogram's _bucket, _sum, _count). */
  name?: string;
  /** Its labels, as pairs or already rendered (`labelText`, for label sets shared by many samples). */
  labels: Record<string, string> | LabelText;
  value: number;
}

/** Labels rendered once (`a="x",b="y"`), for a storage's labels repeated over thousands of series. */
export class LabelText {
  constructor(readonly text: string) {}

  static of(labels: Record<string, string>): LabelText {
    return new LabelText(renderLabels(labels));
  }

  /** These labels and more. */
  with(more: Record<string, string>): LabelText {
    const extra = renderLabels(more);
    return new LabelText(this.text && extra ? `${this.text},${extra}` : this.text || extra);
  }
}

export interface Family {
  name: string;
  help: string;
  type: MetricType;
  samples: Sample[];
}

const escapeLabel = (v: string): string => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const escapeHelp = (v: string): string => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

export function renderLabels(labels: Record<string, string>): string {
  let out = '';
  for (const k in labels) out += `${out ? ',' : ''}${k}="${escapeLabel(labels[k]!)}"`;
  return out;
}

/** Families with at least one sample, each with its HELP and TYPE lines. */
export function renderFamilies(families: readonly Family[]): string {
  const out: string[] = [];
  for (const f of families) {
    if (f.samples.length === 0) continue;
    out.push(`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} ${f.type}`);
    for (const s of f.samples) {
      const labels = s.labels instanceof LabelText ? s.labels.text : renderLabels(s.labels);
      out.push(`${s.name ?? f.name}${labels ? `{${labels}}` : ''} ${formatValue(s.value)}`);
    }
  }
  return out.length ? `${out.join('\n')}\n` : '';
}
