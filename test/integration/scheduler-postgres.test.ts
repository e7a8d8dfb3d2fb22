// The scheduler with its jobs in PostgreSQL (SCHEDULER_BACKEND=postgres, Agenda's PostgreSQL
// backend), on the real PostgreSQL of the tests.
import { schedulerSuite } from '../support/scheduler-suite.js';

schedulerSuite('postgres');
