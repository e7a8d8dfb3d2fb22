// Migrations are listed here, not found by a glob, so they run the same from src or dist.
import { Migration20261127000001_initial } from './Migration20261127000001_initial.js';
import { Migration20261127000002_task_runs } from './Migration20261127000002_task_runs.js';
import { Migration20261127000003_volume_fingerprint } from './Migration20261127000003_volume_fingerprint.js';
import { Migration20261127000004_sync_schedule } from './Migration20261127000004_sync_schedule.js';
import { Migration20261127000005_metrics } from './Migration20261127000005_metrics.js';
import { Migration20261127000006_volume_fingerprint_hash } from './Migration20261127000006_volume_fingerprint_hash.js';
import { Migration20261201000001_alerts } from './Migration20261201000001_alerts.js';
import { Migration20261201140001_inventory } from './Migration20261201140001_inventory.js';
import { Migration20261201150001_counter_readings } from './Migration20261201150001_counter_readings.js';
import { Migration20261201150002_window_retries } from './Migration20261201150002_window_retries.js';
import { Migration20261201150003_hardware_polling } from './Migration20261201150003_hardware_polling.js';
import { Migration20261201152001_volume_lookups } from './Migration20261201152001_volume_lookups.js';
import { Migration20261201153001_system_counters } from './Migration20261201153001_system_counters.js';
import { Migration20261201154001_alert_listed } from './Migration20261201154001_alert_listed.js';
import { Migration20261201161001_one_task_per_tick } from './Migration20261201161001_one_task_per_tick.js';
import { Migration20261201172001_stranded_tasks } from './Migration20261201172001_stranded_tasks.js';

export const MIGRATIONS = [
  { name: 'Migration20261127000001_initial', class: Migration20261127000001_initial },
  { name: 'Migration20261127000002_task_runs', class: Migration20261127000002_task_runs },
  { name: 'Migration20261127000003_volume_fingerprint', class: Migration20261127000003_volume_fingerprint },
  { name: 'Migration20261127000004_sync_schedule', class: Migration20261127000004_sync_schedule },
  { name: 'Migration20261127000005_metrics', class: Migration20261127000005_metrics },
  { name: 'Migration20261127000006_volume_fingerprint_hash', class: Migration20261127000006_volume_fingerprint_hash },
  { name: 'Migration20261201000001_alerts', class: Migration20261201000001_alerts },
  { name: 'Migration20261201140001_inventory', class: Migration20261201140001_inventory },
  { name: 'Migration20261201150001_counter_readings', class: Migration20261201150001_counter_readings },
  { name: 'Migration20261201150002_window_retries', class: Migration20261201150002_window_retries },
  { name: 'Migration20261201150003_hardware_polling', class: Migration20261201150003_hardware_polling },
  { name: 'Migration20261201152001_volume_lookups', class: Migration20261201152001_volume_lookups },
  { name: 'Migration20261201153001_system_counters', class: Migration20261201153001_system_counters },
  { name: 'Migration20261201154001_alert_listed', class: Migration20261201154001_alert_listed },
  { name: 'Migration20261201161001_one_task_per_tick', class: Migration20261201161001_one_task_per_tick },
  { name: 'Migration20261201172001_stranded_tasks', class: Migration20261201172001_stranded_tasks },
];
