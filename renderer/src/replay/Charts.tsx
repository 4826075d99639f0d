/**
 * The dashboard's two charts, drawn with uPlot: the latency histogram (with p50/p95/p99)
 * and throughput over the run.
 */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { LatencySummary } from '../../../main/contract';

function useUplot(make: (el: HTMLDivElement, width: number) => uPlot, deps: unknown[]) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const plot = make(el, Math.max(240, el.clientWidth));
    const observer = new ResizeObserver(() => plot.setSize({ width: Math.max(240, el.clientWidth), height: 160 }));
    observer.observe(el);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return ref;
}

const axisStroke = () => getComputedStyle(document.documentElement).getPropertyValue('--fg-muted').trim() || '#888';

/** Fine histogram buckets regrouped into ~4 per decade, for bars that read well. */
function coarseHistogram(histogram: LatencySummary['histogram']): { le: number[]; count: number[] } {
  const le: number[] = [];
  const count: number[] = [];
  for (const bucket of histogram) {
    const edge = 10 ** (Math.ceil(Math.log10(Math.max(bucket.le, 0.001)) * 4) / 4);
    if (le.length > 0 && le[le.length - 1] === edge) count[count.length - 1] += bucket.count;
    else {
      le.push(edge);
      count.push(bucket.count);
    }
  }
  return { le, count };
}

export function LatencyChart({ latency }: { latency: LatencySummary }) {
  const ref = useUplot(
    (el, width) => {
      const { le, count } = coarseHistogram(latency.histogram);
      const xs = le.map((_, i) => i);
      return new uPlot(
        {
          width,
          height: 160,
          legend: { show: false },
          cursor: { show: false },
          scales: { x: { time: false, range: [-0.6, Math.max(0.6, xs.length - 0.4)] } },
          axes: [
            { stroke: axisStroke, values: (_u, ticks) => ticks.map((t) => (Number.isInteger(t) && le[t] !== undefined ? `≤${formatMs(le[t])}` : '')), space: 50 },
            { stroke: axisStroke, size: 50 },
          ],
          series: [{}, { label: 'events', fill: 'rgba(80,140,240,0.5)', stroke: 'rgb(80,140,240)', paths: uPlot.paths.bars?.({ size: [0.8, 60] }) }],
        },
        [xs, count],
        el,
      );
    },
    [latency],
  );
  return (
    <figure className="replay-chart" aria-label="Latency histogram">
      <figcaption>
        Latency · p50 <strong data-testid="p50">{formatMs(latency.p50)}</strong> · p95 <strong data-testid="p95">{formatMs(latency.p95)}</strong> · p99 <strong data-testid="p99">{formatMs(latency.p99)}</strong>
      </figcaption>
      <div ref={ref} />
    </figure>
  );
}

export function ThroughputChart({ throughput }: { throughput: { intervalMs: number; counts: number[] } }) {
  const ref = useUplot(
    (el, width) => {
      const xs = throughput.counts.map((_, i) => ((i + 1) * throughput.intervalMs) / 1000);
      const ys = throughput.counts.map((c) => (c * 1000) / throughput.intervalMs);
      return new uPlot(
        {
          width,
          height: 160,
          legend: { show: false },
          scales: { x: { time: false } },
          axes: [{ stroke: axisStroke, values: (_u, ticks) => ticks.map((t) => `${t}s`) }, { stroke: axisStroke, size: 60 }],
          series: [{}, { label: 'events/s', stroke: 'rgb(60,170,110)', fill: 'rgba(60,170,110,0.2)', width: 2 }],
        },
        [xs, ys],
        el,
      );
    },
    [throughput],
  );
  return (
    <figure className="replay-chart" aria-label="Throughput over time">
      <figcaption>Throughput (events/s over the run)</figcaption>
      <div ref={ref} />
    </figure>
  );
}

export function formatMs(ms: number): string {
  if (ms < 1) return `${(ms * 1000).toFixed(0)} µs`;
  if (ms < 1000) return `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}
