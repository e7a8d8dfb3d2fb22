// The storage a path names, or Delfin's 404 StorageNotFound.
import type { StorageView } from '../../../db/stores/storage-store.js';
import type { ApiContext } from '../../context.js';
import { storageNotFound } from '../errors.js';

export async function existingStorage(ctx: ApiContext, id: string): Promise<StorageView> {
  const storage = await ctx.storages.get(id);
  if (!storage) throw storageNotFound(id);
  return storage;
}
