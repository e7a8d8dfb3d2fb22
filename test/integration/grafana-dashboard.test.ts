// The Grafana dashboard cannot rot (issue 16): every panel's PromQL, read from
// deploy/grafana/dashboards/delfin.json with its template variables filled in as Grafana would,
// runs against a real Prometheus scraping a real `delfin all`, fed by a real sync, a real
// performance collection, a failing sync and a real SNMP trap; a query that returns nothing fails.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { testEnv } from '../support/env.js';
import { startDelfin, type DelfinProcess } from '../support/system.js';
import { gql } from '../support/graphql.js';
import { fakeInput, REGISTER } from '../support/operations.js';
import { policyFile } from '../support/policy-file.js';
import { startPrometheus, type PrometheusServer } from '../support/prometheus.js';
import { UPDATE_METRICS_CONFIG, polling } from '../support/metrics.js';
import { FAKE_RAISED, fakeVarbind as vb, freeUdpPort, snmpTools, type SnmpTools } from '../support/snmp.js';

const DASHBOARD = fileURLToPath(new URL('../../../deploy/grafana/dashboards/delfin.json', import.meta.url));
const COMMUNITY = 'dashboard-community';

interface Panel {
  title: string;
  type: string;
  targets?: { expr: string }[];
}

/** Grafana's variables as it fills them in: every storage ($storage = All), a rate interval, the range. */
function substitute(expr: string): string {
  return expr.replaceAll('$storage', '.*').replaceAll('$__rate_interval', '30s').replaceAll('$__range', '10m');
}

const t = testEnv('grafana-dashboard', {
  DELFIN_MIN_INTERVAL_SECONDS: '1',
  SCHEDULER_BACKEND: 'postgres',
  DELFIN_CONFIG: policyFile({ scheduler: { processEveryMs: 200 }, metrics: { overlapSeconds: 1, chunkSeconds: 5 } }),
});
let delfin: DelfinProcess;
let prom: PrometheusServer;
let tools: SnmpTools;
let trapPort: number;

before(async () => {
  tools = snmpTools();
  trapPort = await freeUdpPort();
  delfin = await startDelfin('all', { ...t.env, DELFIN_TRAP_PORT: String(trapPort), DELFIN_TRAP_HOST: '127.0.0.1' });
  prom = await startPrometheus(new URL(delfin.url).host);
});

after(async () => {
  await prom?.stop();
  await delfin?.stop();
  await t.cleanup();
  tools?.cleanup();
});

test('every panel of the Grafana dashboard returns data from the real Prometheus', { timeout: 180_000 }, async () => {
  const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { panels: Panel[]; templating: { list: { name: string; type: string; query?: { query: string } }[] } };
  // A storage with pools and volumes, collected every 2 s (array and volumes).
  const { registerStorage } = await gql(delfin.url, REGISTER, { input: fakeInput('dashboard-array.example', { pools: 2, volumes: 6, metricStepSeconds: 1 }, 'dashboard-array') });
  const id = registerStorage.id;
  await gql(delfin.url, UPDATE_METRICS_CONFIG, { storageId: id, input: { arrayPolling: polling(true, 2, true), volumePolling: polling(true, 2, true) } });
  // A storage whose sync fails (the failures panel) and an open alert (the alerts panels).
  await gql(delfin.url, REGISTER, { input: fakeInput('dashboard-failing.example', { failAt: 'volumes' }, 'dashboard-failing') });
  await gql(delfin.url, `mutation S($id: ID!, $input: AlertSourceInput!) { setAlertSource(storageId: $id, input: $input) { host } }`, {
    id,
    input: { host: '127.0.0.1', version: 'V2C', community: COMMUNITY },
  });
  const trap = [vb(1, 'FAKE-DISK-FAIL'), vb(2, 'Disk failed'), vb(3, 'Major'), vb(4, 'Fault'), vb(5, 'disk 7 stopped'), vb(6, 'shelf 1'), vb(7, '7001'), vb(8, 'Disk')];
  // The receiver reloads its sources on the api's notice: send until the alert is stored.
  const deadline = Date.now() + 30_000;
  for (;;) {
    await tools.send('snmptrap', ['-v', '2c', '-c', COMMUNITY, `127.0.0.1:${trapPort}`, '', FAKE_RAISED, ...trap.flat()]);
    const { alerts } = await gql(delfin.url, `{ alerts(first: 1) { totalCount } }`);
    if (alerts.totalCount > 0) break;
    assert.ok(Date.now() < deadline, 'the trap was stored as an alert');
    await new Promise((r) => setTimeout(r, 500));
  }

  const queries = dashboard.panels.flatMap((p) => (p.targets ?? []).map((target) => ({ panel: p.title, expr: substitute(target.expr) })));
  queries.push(...dashboard.templating.list.filter((v) => v.type === 'query').map((v) => ({ panel: `variable ${v.name}`, expr: labelValuesQuery(v.query!.query) })));
  assert.ok(queries.length >= 20, `the dashboard has its panels (${queries.length} queries)`);
  const empty = new Map(queries.map((q) => [q.expr, q.panel]));
  const until = Date.now() + 120_000;
  while (empty.size > 0 && Date.now() < until) {
    for (const [expr] of empty) if ((await prom.query(expr)).length > 0) empty.delete(expr);
    if (empty.size > 0) await new Promise((r) => setTimeout(r, 1000));
  }
  assert.deepEqual([...empty].map(([expr, panel]) => `${panel}: ${expr}`), [], 'panels whose query returned nothing');

  // The top volumes are volumes of the collected storage, and the volumes' capacities stay off by default.
  const top = await prom.query(substitute(dashboard.panels.find((p) => p.title === 'Top 10 volumes by IOPS')!.targets![0]!.expr));
  assert.equal(top.length, 6);
  assert.ok(top.every((s) => s.metric.storage_id === id && s.metric.resource_type === 'volume'));
  assert.deepEqual(await prom.query('delfin_total_capacity_bytes{resource_type="volume"}'), []);
});

/** Grafana's `label_values(metric, label)` as the PromQL it amounts to. */
function labelValuesQuery(query: string): string {
  const m = /^label_values\((.+),\s*(\w+)\)$/.exec(query);
  assert.ok(m, `a label_values() variable: ${query}`);
  return `group by (${m[2]}) (${m[1]})`;
}
