import { AppError } from '../../../shared/errors';
import type { Executor, ExecutorKit, Outcome } from '../executor';
import type { Operation } from '../operations';
import { albumCreate } from './album-create';
import { albumDelete } from './album-delete';
import { albumMembership } from './album-membership';
import { albumRename } from './album-rename';
import { approve } from './approve';
import { editMetadata } from './edit-metadata';
import { archive } from './archive';
import { photoFlag } from './photo-flag';
import { photoTitle } from './photo-title';
import { choosePrimary, unstack } from './stack-file';

/** Every operation type's executor. See [Note: One skeleton for every executor]. */
const EXECUTORS: { readonly [T in Operation['type']]: Executor<Extract<Operation, { type: T }>> } = {
  favorite: photoFlag,
  private: photoFlag,
  approve,
  title: photoTitle,
  archive,
  add: albumMembership,
  remove: albumMembership,
  'create-album': albumCreate,
  'rename-album': albumRename,
  'delete-album': albumDelete,
  edit: editMetadata,
  primary: choosePrimary,
  unstack,
};

export function executorOf<O extends Operation>(op: O): Executor<O> {
  return EXECUTORS[op.type] as unknown as Executor<O>;
}

/** The skeleton: no signed-in client → every item fails with why; otherwise the executor sends. */
export async function send(op: Operation, kit: ExecutorKit): Promise<Outcome> {
  const executor = executorOf(op);
  const client = kit.client();
  if (client instanceof AppError) return kit.failAll(executor.items(op, kit), client, executor.subject);
  return executor.send(op, client, kit);
}
