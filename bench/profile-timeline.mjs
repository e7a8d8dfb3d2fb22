// Where a CPU profile's time went over time: per bucket (default 100 ms), the three frames with the most
// samples, each named by the first frame of the stack in src/ (else its own). Usage:
//   node bench/profile-timeline.mjs FILE.cpuprofile [bucket-ms]
import { readFileSync } from 'node:fs';
const p = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const label = (id) => { // first frame from src/ or a package up the stack
  let cur = id; const chain = [];
  while (cur) { const n = byId.get(cur); chain.push(n.callFrame); cur = parent.get(cur); }
  const f = chain.find((c) => /\/src\//.test(c.url)) ?? chain[0];
  return `${f.functionName || '(anon)'} ${f.url.replace(/.*\/(dist\/)?/, '')}`;
};
let t = p.startTime; const bucket = Number(process.argv[3] ?? 100) * 1000;
const buckets = new Map();
p.samples.forEach((s, i) => { t += p.timeDeltas[i]; const b = Math.floor((t - p.startTime) / bucket); const m = buckets.get(b) ?? new Map(); const l = label(s); m.set(l, (m.get(l) ?? 0) + 1); buckets.set(b, m); });
for (const [b, m] of [...buckets].sort((a, b) => a[0] - b[0])) {
  const total = [...m.values()].reduce((a, c) => a + c, 0);
  const top = [...m].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([l, c]) => `${Math.round(100 * c / total)}% ${l}`).join(' | ');
  console.log(`${String(b * bucket / 1000).padStart(5)} ms: ${top}`);
}
