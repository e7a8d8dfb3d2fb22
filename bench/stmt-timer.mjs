// Preload for bench/fleet-profile.ts (node --import): see there.
// Preload (node --import): times every pg statement of the process by its text's head; dumped at exit.
import pg from 'pg';
import { writeFileSync } from 'node:fs';
const stats = new Map();
const orig = pg.Client.prototype.query;
const key = (t) => String(t).replace(/\s+/g, ' ').slice(0, 110);
pg.Client.prototype.query = function (...args) {
  const text = typeof args[0] === 'string' ? args[0] : args[0]?.text;
  if (text === undefined) return orig.apply(this, args);
  const k = key(text);
  const t0 = process.hrtime.bigint();
  const done = () => {
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const s = stats.get(k) ?? { n: 0, ms: 0 };
    s.n++; s.ms += ms; stats.set(k, s);
  };
  const cbIdx = args.findIndex((a) => typeof a === 'function');
  if (cbIdx >= 0) {
    const cb = args[cbIdx];
    args[cbIdx] = function (...r) { done(); return cb.apply(this, r); };
    return orig.apply(this, args);
  }
  const r = orig.apply(this, args);
  if (r && typeof r.then === 'function') r.then(done, done);
  return r;
};
process.on('exit', () => {
  const rows = [...stats.entries()].sort((a, b) => b[1].ms - a[1].ms);
  const out = rows.map(([k, s]) => `${String(s.n).padStart(7)} ${s.ms.toFixed(0).padStart(8)} ms ${(s.ms / s.n).toFixed(2).padStart(7)} ${k}`).join('\n');
  writeFileSync(`${process.env.STMT_OUT ?? '/tmp/stmt'}-${process.pid}.txt`, out + '\n');
});

// CPU profile between two SIGUSR2 (or the first and exit): --cpu-prof is not allowed in NODE_OPTIONS.
import inspector from 'node:inspector';
let session;
let profN = 0;
function stopProfile() {
  if (!session) return;
  const s = session; session = undefined;
  s.post('Profiler.stop', (err, res) => {
    if (!err) writeFileSync(`${process.env.STMT_OUT ?? '/tmp/stmt'}-${process.pid}-${profN++}.cpuprofile`, JSON.stringify(res.profile));
    s.disconnect();
  });
}
process.on('SIGUSR2', () => {
  if (session) return stopProfile();
  session = new inspector.Session();
  session.connect();
  session.post('Profiler.enable', () => session.post('Profiler.setSamplingInterval', { interval: 500 }, () => session.post('Profiler.start')));
});
process.on('exit', stopProfile);
