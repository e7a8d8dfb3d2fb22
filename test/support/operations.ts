// The operations the tests send, as a client app would write them.
export const REGISTER = `mutation Register($input: RegisterStorageInput!) {
  registerStorage(input: $input) { id name serialNumber syncState status totalCapacity usedCapacity freeCapacity }
}`;

export const SYNC = `mutation Sync($id: ID!, $options: SyncOptions) {
  syncStorage(id: $id, options: $options) { id kind status priority storageId }
}`;

export const UPDATE_ACCESS = `mutation Update($id: ID!, $input: AccessInfoInput!) {
  updateAccessInfo(storageId: $id, input: $input) { id accessInfo { rest { host port username } extraAttributes } }
}`;

export const TASK_FIELDS = `id kind status priority storageId progress phase message error attempts version
  stats { poolsAdded poolsUpdated poolsDeleted volumesAdded volumesUpdated volumesDeleted }
  createdAt startedAt finishedAt`;

export const TASK = `query Task($id: ID!) { task(id: $id) { ${TASK_FIELDS} } }`;

export const TASKS = `query Tasks($storageId: ID, $status: [TaskStatus!]) {
  tasks(storageId: $storageId, status: $status) { totalCount edges { node { ${TASK_FIELDS} } } }
}`;

export const TASK_EVENTS = `subscription Events($taskId: ID, $storageId: ID) {
  taskEvents(taskId: $taskId, storageId: $storageId) { type at task { ${TASK_FIELDS} } }
}`;

export const STORAGE = `query Storage($id: ID!, $first: Int, $after: String) {
  storage(id: $id) {
    id name serialNumber syncState lastSyncedAt status totalCapacity usedCapacity freeCapacity rawCapacity subscribedCapacity
    accessInfo { rest { host port username } extraAttributes }
    pools(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor }
      edges { cursor node { id nativeStoragePoolId name totalCapacity usedCapacity freeCapacity } } }
    volumes(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor }
      edges { cursor node { id nativeVolumeId nativeStoragePoolId totalCapacity pool { nativeStoragePoolId } storage { id } } } }
  }
}`;

export function fakeInput(host: string, extra: Record<string, unknown> = {}, name?: string) {
  return {
    vendor: 'fake_storage',
    model: 'fake_driver',
    name,
    rest: { host, port: 8443, username: 'admin', password: 'p4ssw0rd-secret' },
    extraAttributes: extra,
  };
}
