// Every operation of Delfin's document that this server answers, by operation key. The others
// answer 501 (./resources/not-held.ts).
import type { RestRoutes } from './route.js';
import { storageRoutes } from './resources/storages.js';
import { accessInfoRoutes } from './resources/access-infos.js';
import { poolRoutes } from './resources/pools.js';
import { volumeRoutes } from './resources/volumes.js';
import { diskRoutes } from './resources/disks.js';
import { controllerRoutes } from './resources/controllers.js';
import { portRoutes } from './resources/ports.js';
import { snmpConfigRoutes } from './resources/snmp-configs.js';
import { alertRoutes } from './resources/alerts.js';
import { capabilityRoutes } from './resources/capabilities.js';
import { metricsConfigRoutes } from './resources/metrics-config.js';

export const REST_ROUTES: RestRoutes = {
  ...storageRoutes,
  ...accessInfoRoutes,
  ...poolRoutes,
  ...volumeRoutes,
  ...diskRoutes,
  ...controllerRoutes,
  ...portRoutes,
  ...snmpConfigRoutes,
  ...alertRoutes,
  ...capabilityRoutes,
  ...metricsConfigRoutes,
};
