// Tasks as users see them: one, or a filtered page.
import type { EntityManager } from '@mikro-orm/postgresql';
import { Task as TaskEntity, TASK_STATUSES, type TaskStatus } from '../../db/entities/index.js';
import { isId } from '../../lib/ids.js';
import { mustBeId } from './ids.js';
import { pageRequest, toConnection } from './paging.js';

export class TaskService {
  async get(em: EntityManager, id: string): Promise<TaskEntity | null> {
    if (!isId(id)) return null;
    return em.findOne(TaskEntity, { id });
  }

  async list(
    em: EntityManager,
    args: { storageId?: string | null; status?: TaskStatus[] | null; first?: number | null; after?: string | null },
  ) {
    const page = pageRequest(args.first, args.after);
    const where: Record<string, unknown> = {};
    if (args.storageId) where.storageId = mustBeId(args.storageId, 'storageId');
    if (args.status?.length) where.status = { $in: args.status.filter((s) => TASK_STATUSES.includes(s)) };
    // Newest first: what an operator looks for. The cursor keys on the id, which orders by creation.
    const [rows, total] = await Promise.all([
      em.find(TaskEntity, page.afterId ? { ...where, id: { $lt: page.afterId } } : where, {
        orderBy: { id: 'DESC' },
        limit: page.limit + 1,
      }),
      em.count(TaskEntity, where),
    ]);
    return toConnection(rows, page.limit, total);
  }
}
