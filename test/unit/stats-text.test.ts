// The CLI's one line about what a sync changed: hardware only when it changed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statsText } from '../../src/cli/watch.js';

const zero = {
  poolsAdded: 0, poolsUpdated: 0, poolsDeleted: 0, volumesAdded: 0, volumesUpdated: 0, volumesDeleted: 0,
  disksAdded: 0, disksUpdated: 0, disksDeleted: 0, controllersAdded: 0, controllersUpdated: 0, controllersDeleted: 0,
  portsAdded: 0, portsUpdated: 0, portsDeleted: 0,
};

test('a sync that changed no hardware reads as before', () => {
  assert.equal(statsText({ ...zero, poolsAdded: 2, volumesAdded: 30 }), 'pools 2 added, 0 updated, 0 deleted; volumes 30 added, 0 updated, 0 deleted');
});

test('disks, controllers and ports are named when they changed', () => {
  assert.equal(
    statsText({ ...zero, disksAdded: 3, disksDeleted: 1, portsUpdated: 2 }),
    'pools 0 added, 0 updated, 0 deleted; volumes 0 added, 0 updated, 0 deleted; disks 3 added, 0 updated, 1 deleted; ports 0 added, 2 updated, 0 deleted',
  );
});
