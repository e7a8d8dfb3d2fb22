// Roles and the one table saying which role each root operation needs. A role includes the
// ones below it: an operator may do all a viewer does, an admin all an operator does.
export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * The least role for each query, mutation and subscription. Resolvers read it through
 * `@Authorized(needs('name'))`; a unit test checks that every root field is in it and decorated
 * so.
 */
export const OPERATION_ROLES = {
  // Reading: every token.
  storages: 'viewer',
  storage: 'viewer',
  storagePools: 'viewer',
  volumes: 'viewer',
  disks: 'viewer',
  controllers: 'viewer',
  ports: 'viewer',
  task: 'viewer',
  tasks: 'viewer',
  drivers: 'viewer',
  metricsConfig: 'viewer',
  taskEvents: 'viewer',
  metricSamples: 'viewer',
  alerts: 'viewer',
  alertEvents: 'viewer',
  // Running the system: syncs, schedules, cancels, metrics settings.
  syncStorage: 'operator',
  syncAllStorages: 'operator',
  cancelTask: 'operator',
  setSyncSchedule: 'operator',
  updateMetricsConfig: 'operator',
  clearAlert: 'operator',
  // Changing what is managed and its credentials.
  registerStorage: 'admin',
  updateAccessInfo: 'admin',
  deleteStorage: 'admin',
  setAlertSource: 'admin',
  removeAlertSource: 'admin',
  applyStorages: 'admin',
} as const satisfies Record<string, Role>;

export type Operation = keyof typeof OPERATION_ROLES;

/** The role an operation needs, for `@Authorized(needs('registerStorage'))`. */
export const needs = (operation: Operation): Role => OPERATION_ROLES[operation];

export const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);

/** Whether `held` is `needed` or above it. */
export const includesRole = (held: Role, needed: Role): boolean => ROLES.indexOf(held) >= ROLES.indexOf(needed);
