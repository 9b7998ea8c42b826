import { z } from 'zod';

/**
 * Who may do what, written once: for each role, each entity, each action, whether the
 * role may do it to its `own` records or to `any`. An action a role does not list is
 * refused. The API enforces it (a read of another user's record is a 404, not a 403:
 * a record you may not see does not exist for you); the SPA reads it to show or hide
 * what the signed-in user cannot do.
 */
export const ROLES = ['user', 'admin'] as const;
export const Role = z.enum(ROLES).meta({ id: 'Role', description: 'What an account may do (see PERMISSIONS).' });
export type Role = z.output<typeof Role>;

export type Entity = 'order' | 'report';
export type Action = 'read' | 'create' | 'update';
/** `own`: the records the user owns; `any`: every record. */
export type Reach = 'own' | 'any';

type RolePermissions = Readonly<Partial<Record<Entity, Readonly<Partial<Record<Action, Reach>>>>>>;

export const PERMISSIONS = {
  user: {
    order: { read: 'own', create: 'own', update: 'own' },
  },
  admin: {
    order: { read: 'any', create: 'own', update: 'any' },
    report: { read: 'any' },
  },
} as const satisfies Readonly<Record<Role, RolePermissions>>;

/** How far `role` may do `action` on `entity`: `any`, `own`, or undefined (not at all). */
export function reachOf(role: Role, action: Action, entity: Entity): Reach | undefined {
  const byEntity: RolePermissions = PERMISSIONS[role];
  return byEntity[entity]?.[action];
}
