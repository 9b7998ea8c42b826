import { describe, expect, it } from 'vitest';
import { PERMISSIONS, ROLES, reachOf } from './permissions.js';

describe('PERMISSIONS', () => {
  it('let a user read, create and change only their own orders', () => {
    expect(reachOf('user', 'read', 'order')).toBe('own');
    expect(reachOf('user', 'create', 'order')).toBe('own');
    expect(reachOf('user', 'update', 'order')).toBe('own');
  });

  it('let an admin read and change every order, and read the reports', () => {
    expect(reachOf('admin', 'read', 'order')).toBe('any');
    expect(reachOf('admin', 'update', 'order')).toBe('any');
    expect(reachOf('admin', 'read', 'report')).toBe('any');
  });

  it('refuse what a role does not list', () => {
    expect(reachOf('user', 'read', 'report')).toBeUndefined();
  });

  it('name a permission set for every role, and no other', () => {
    expect(Object.keys(PERMISSIONS).sort()).toEqual([...ROLES].sort());
  });
});
