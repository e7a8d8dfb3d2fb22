// applyStorages: the mutation behind `delfin apply -f` (src/api/services/apply-service.ts).
import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { needs } from '../../auth/roles.js';
import type { ApiContext } from '../context.js';
import { StorageApplyResult, StorageDeclarationInput } from '../types/apply.js';

@Resolver()
export class ApplyResolver {
  @Authorized(needs('applyStorages'))
  @Mutation(() => StorageApplyResult, {
    description:
      'Registers, updates and (with prune) deletes storages so they match the declarations, each matched by its name. ' +
      'One step per declaration and per pruned storage; a step that fails stops no other. dryRun: only the plan.',
  })
  applyStorages(
    @Arg('input', () => [StorageDeclarationInput]) input: StorageDeclarationInput[],
    @Arg('dryRun', { defaultValue: false }) dryRun: boolean,
    @Arg('prune', { defaultValue: false, description: 'Delete the storages no declaration names.' }) prune: boolean,
    @Arg('keepNames', () => [String], { nullable: true, description: 'Names not to prune besides the declared ones (entries the client could not send).' })
    keepNames: string[] | null,
    @Ctx() ctx: ApiContext,
  ): Promise<StorageApplyResult> {
    return ctx.apply.apply(input, { dryRun, prune, keepNames: keepNames ?? [] });
  }
}
