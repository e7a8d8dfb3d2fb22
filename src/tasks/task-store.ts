// The task table's store now lives in src/db/stores/task-store.ts. This re-export keeps the
// scheduler's modules (run-task-job.ts, schedule-service.ts), owned elsewhere, compiling
// until they import the store directly.
export * from '../db/stores/task-store.js';
