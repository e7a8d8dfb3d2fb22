// Used against total capacity as a bar, for a storage or a pool. The figures are the API's
// BigInt strings, kept on the element (data-used, data-total) as they came.
import { formatBytes } from './format';

interface Props {
  /** What the bar measures, for screen readers: "Capacity of pool-1". */
  label: string;
  used: string;
  total: string;
}

/** Used as a whole percent of total; 0 when the total is 0 (nothing to fill). */
export function usedPercent(used: string, total: string): number {
  const t = Number(total);
  return t > 0 ? Math.min(100, Math.round((Number(used) / t) * 100)) : 0;
}

/** Past 90 % a pool is close to full; past 75 % it is worth a look. */
function level(percent: number): string {
  return percent >= 90 ? 'full' : percent >= 75 ? 'high' : 'ok';
}

export function CapacityBar({ label, used, total }: Props) {
  const percent = usedPercent(used, total);
  const text = `${formatBytes(used)} of ${formatBytes(total)} used (${percent} %)`;
  return (
    <div className="capacity" data-used={used} data-total={total}>
      <div className={`capacity-bar capacity-${level(percent)}`} role="meter" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} aria-valuetext={text}>
        <div className="capacity-fill" style={{ width: `${percent}%` }} />
      </div>
      <span className="capacity-text">{text}</span>
    </div>
  );
}
