export { connectNats, type NatsConnection } from './connection.js';
export { isConnected } from './connection-state.js';
export { busNames, type BusNames } from './subjects.js';
export { TaskQueue, PULL_ORDER } from './task-queue.js';
export { NatsTaskDelivery, type TaskDelivery } from './task-delivery.js';
export type { TaskMessage } from './task-message.js';
export * from './task-events.js';
