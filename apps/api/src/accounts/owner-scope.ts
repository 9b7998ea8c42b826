import { type Action, type Entity, reachOf } from '@tandem/contract';
import { AppError } from '../errors.js';
import type { SignedIn } from '../plugins/app/authentication.js';

/**
 * Whose records the signed-in account may `action`: its own (its user id) or any (null),
 * by the contract's PERMISSIONS. A role that may not do it at all gets 403 FORBIDDEN.
 * Repositories take the answer as their `owner` filter, so another user's record is
 * simply not found (a 404, never a hint that it exists).
 */
export function ownerScope(account: SignedIn | null, action: Action, entity: Entity): string | null {
  if (!account) throw new AppError('UNAUTHENTICATED');
  const reach = reachOf(account.user.role, action, entity);
  if (reach === 'any') return null;
  if (reach === 'own') return account.user.id;
  throw new AppError('FORBIDDEN', { message: `Your account may not ${action} ${entity}s.` });
}
