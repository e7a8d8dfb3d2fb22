// One time series drawn by uPlot (a small canvas chart library) on a canvas as wide as its
// box. The chart is made once and given new data as points arrive; `data-points` on the figure
// says how many points it draws.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

interface Props {
  /** What the chart shows, for screen readers and the axis: "iops (IOPS)". */
  label: string;
  /** Unix seconds, ascending, and the value at each. */
  times: readonly number[];
  values: readonly number[];
}

const HEIGHT = 220;
const STROKE = '#2459c7';

function options(label: string, width: number): uPlot.Options {
  return {
    width,
    height: HEIGHT,
    legend: { show: false },
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: true } },
    series: [{}, { label, stroke: STROKE, width: 2, fill: 'rgba(36, 89, 199, 0.08)', points: { show: false } }],
    axes: [{}, { label, size: 70 }],
  };
}

export function LineChart({ label, times, values }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | undefined>(undefined);

  // Made again only when the label changes (another metric); data changes go through setData.
  useEffect(() => {
    const el = box.current!;
    const plot = new uPlot(options(label, el.clientWidth || 600), [[], []], el);
    chart.current = plot;
    const resize = new ResizeObserver(() => plot.setSize({ width: el.clientWidth, height: HEIGHT }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
      chart.current = undefined;
    };
  }, [label]);

  useEffect(() => {
    chart.current?.setData([times as number[], values as number[]]);
  }, [label, times, values]);

  const last = values.at(-1);
  return (
    <figure className="chart" data-points={times.length}>
      <div ref={box} role="img" aria-label={`Chart of ${label}: ${times.length} points`} />
      <figcaption className="muted">
        {label}: {times.length} points{last === undefined ? '' : `, latest ${last.toLocaleString('en-US', { maximumFractionDigits: 2 })}`}
      </figcaption>
    </figure>
  );
}
