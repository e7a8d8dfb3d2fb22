// type-graphql's authChecker: `@Authorized(role)` on a resolver lets through principals with
// that role or above. It runs before the error middleware, so it throws GraphQL errors itself.
import { GraphQLError } from 'graphql';
import type { AuthChecker } from 'type-graphql';
import type { ApiContext } from '../context.js';
import { includesRole, type Role } from '../../auth/roles.js';

export const authChecker: AuthChecker<ApiContext, Role> = ({ context, info }, roles) => {
  const principal = context.principal;
  if (!principal) {
    throw new GraphQLError('Authentication required: send "Authorization: Bearer <token>".', { extensions: { code: 'UNAUTHENTICATED' } });
  }
  const needed = roles[0] ?? 'viewer';
  if (!includesRole(principal.role, needed)) {
    throw new GraphQLError(`${info.fieldName} needs the ${needed} role; this token has the ${principal.role} role.`, {
      extensions: { code: 'FORBIDDEN', needed, role: principal.role },
    });
  }
  return true;
};
