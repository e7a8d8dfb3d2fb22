// Alerts: clear one by its sequence number. Delfin's alert sync (pulling alerts from the device)
// has no counterpart here: alerts arrive as SNMP traps (docs/alerts.md).
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
    needs: 'clearAlert',
    handle: notHeld('Pulling alerts from a device is not implemented: this server receives them as SNMP traps (see the alert source, PUT /v1/storages/{storage_id}/snmp-config).'),
  },
};
