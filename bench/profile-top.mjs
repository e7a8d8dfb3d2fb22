// Self and inclusive time of a .cpuprofile, by function and by file or package: node bench/profile-top.mjs FILE [N].
// Self time of a .cpuprofile by function and by file/package; and inclusive time of our own functions.
import { readFileSync } from 'node:fs';
const p = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const top = Number(process.argv[3] ?? 30);
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const dt = new Map();
for (let i = 0; i < p.samples.length; i++) dt.set(p.samples[i], (dt.get(p.samples[i]) ?? 0) + (p.timeDeltas[i] ?? 0));
const total = [...dt.values()].reduce((a, b) => a + b, 0);
const self = new Map(), byFile = new Map();
const where = (cf) => {
  const u = cf.url || '';
  const m = u.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  return m ? m[1] : u.includes('/dist/') ? u.split('/dist/')[1] : u.startsWith('node:') ? u : (u || `(${cf.functionName || 'program'})`);
};
for (const n of p.nodes) {
  const t = dt.get(n.id) ?? 0; if (!t) continue;
  const cf = n.callFrame;
  const k = `${cf.functionName || '(anon)'} ${where(cf)}:${cf.lineNumber + 1}`;
  self.set(k, (self.get(k) ?? 0) + t);
  const f = where(cf); byFile.set(f, (byFile.get(f) ?? 0) + t);
}
// inclusive by our source file (dist/src) or package, counted once per sample stack
const parent = new Map();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const incl = new Map();
for (const [id, t] of dt) {
  const seen = new Set();
  for (let x = id; x !== undefined; x = parent.get(x)) {
    const cf = byId.get(x).callFrame;
    const u = cf.url || '';
    if (!u.includes('/dist/src/')) continue;
    const k = `${cf.functionName || '(anon)'} ${where(cf)}:${cf.lineNumber + 1}`;
    if (seen.has(k)) continue; seen.add(k);
    incl.set(k, (incl.get(k) ?? 0) + t);
  }
}
const ms = (t) => (t / 1000).toFixed(0).padStart(7) + ' ms ' + ((100 * t) / total).toFixed(1).padStart(5) + '%';
console.log(`total ${(total / 1000).toFixed(0)} ms`);
console.log('--- self by file/package'); for (const [k, t] of [...byFile].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(ms(t), k);
console.log('--- self by function'); for (const [k, t] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(ms(t), k);
console.log('--- inclusive, our functions'); for (const [k, t] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(ms(t), k);
