// Finding the Storage resource a storage is: services put them in three places, Swordfish 1.2+
// at /redfish/v1/Storage, Redfish BMCs under each system (/redfish/v1/Systems/{id}/Storage),
// older Swordfish at /redfish/v1/StorageServices. extraAttributes.storage chooses by Id or
// @odata.id; without it the service must have exactly one.
import { DriverError, DriverInputError } from '../driver-error.js';
import { allMembers } from './collections.js';
import { link, type Json, type RedfishClient } from './redfish-client.js';

export interface FoundStorage {
  path: string;
  id: string | null;
}

const trim = (p: string) => p.replace(/\/+$/, '');

/** Every Storage (or StorageService) resource the service offers. */
export async function findStorages(client: RedfishClient): Promise<Json[]> {
  const root = await client.serviceRoot();
  const [storage, services, systems] = await Promise.all([
    allMembers(client, link(root, 'Storage') ?? '/redfish/v1/Storage'),
    allMembers(client, link(root, 'StorageServices') ?? '/redfish/v1/StorageServices'),
    allMembers(client, link(root, 'Systems') ?? '/redfish/v1/Systems'),
  ]);
  const bySystem = await Promise.all(
    systems.map((s) => allMembers(client, link(s, 'Storage') ?? `${trim(String(s['@odata.id'] ?? ''))}/Storage`)),
  );
  const found = [...storage, ...bySystem.flat(), ...services].filter((s) => typeof s['@odata.id'] === 'string');
  // One resource may be linked from two places.
  return [...new Map(found.map((s) => [trim(s['@odata.id'] as string), s])).values()];
}

function describe(s: Json): string {
  return `${s['@odata.id'] as string} (Id ${JSON.stringify(s.Id ?? null)})`;
}

/** The Storage resource chosen by `wanted` (its Id or @odata.id), or the only one. */
export function chooseStorage(all: Json[], wanted: string | null, where: string): Json {
  const list = () => all.map(describe).join(', ');
  if (wanted === null) {
    if (all.length === 1) return all[0]!;
    if (all.length === 0) {
      throw new DriverError(`${where} offers no Storage resource (looked at /redfish/v1/Storage, /redfish/v1/Systems/*/Storage and /redfish/v1/StorageServices)`);
    }
    throw new DriverInputError(
      `${where} has ${all.length} Storage resources: choose one with extraAttributes.storage (its Id or @odata.id): ${list()}`,
      'extraAttributes.storage',
    );
  }
  const byPath = all.find((s) => trim(s['@odata.id'] as string) === trim(wanted));
  if (byPath) return byPath;
  const byId = all.filter((s) => s.Id === wanted);
  if (byId.length === 1) return byId[0]!;
  if (byId.length > 1) {
    throw new DriverInputError(
      `extraAttributes.storage "${wanted}" is the Id of ${byId.length} Storage resources of ${where}; give the @odata.id instead: ${byId.map(describe).join(', ')}`,
      'extraAttributes.storage',
    );
  }
  throw new DriverInputError(
    `extraAttributes.storage "${wanted}" names no Storage resource of ${where}; it has: ${list() || 'none'}`,
    'extraAttributes.storage',
  );
}
