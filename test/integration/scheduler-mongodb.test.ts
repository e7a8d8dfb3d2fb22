// The scheduler with its jobs in MongoDB (the default), here the MongoDB-wire stand-in
// (stack-notes.md: CongoDB). Not covered by it: unique indexes and change streams, which the
// code does not use; see the README.
import { schedulerSuite } from '../support/scheduler-suite.js';

schedulerSuite('mongodb');
