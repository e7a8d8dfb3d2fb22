// Alerts: clear one by its sequence number; sync them from the device. A sync of the storage
// reads the device's current alerts when its driver can list them (docs/alerts.md), so Delfin's
// alert sync queues one; a driver that cannot list alerts answers 501 (its alerts come as traps).
import { RestError } from '../errors.js';
import { emptyOk, type RestRoutes } from '../route.js';
import { existingStorage } from './existing-storage.js';
import { notHeld } from './not-held.js';

export const alertRoutes: RestRoutes = {
  'DELETE /v1/storages/{storage_id}/alerts/{sequence_number}': {
    needs: 'clearAlert',
    async handle({ ctx, params }) {
      const storage = await existingStorage(ctx, params.storage_id!);
      const cleared = await ctx.alerts.clearBySequence(storage.id, params.sequence_number!);
      if (!cleared) {
        const seq = params.sequence_number!;
        throw new RestError(404, 'AlertNotFound', `No open alert of storage ${storage.id} has the sequence number ${seq}.`, [storage.id, seq]);
      }
      return emptyOk();
    },
  },
  'POST /v1/storages/{storage_id}/alerts/sync': {
    needs: 'syncStorage',
    async handle(req) {
      const storage = await existingStorage(req.ctx, req.params.storage_id!);
      if (!(await req.ctx.storages.capabilities(storage.id)).listAlerts) {
        return notHeld(`The driver of storage ${storage.id} cannot list the device's alerts, so they are not implemented to sync: they arrive as SNMP traps (see the alert source, PUT /v1/storages/{storage_id}/snmp-config).`)(req);
      }
      // The time range Delfin's body may give is not needed: the device lists its current alerts.
      await req.ctx.storages.sync(storage.id);
      return emptyOk(); // Delfin's document: 200 "Accepted"
    },
  },
};
