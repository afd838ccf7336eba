import { ROLES, type Role } from '../../access/roles.js';

/**
 * Roles a machine client may act with: every role except `patient`, which stands for a person
 * reading their own record and means nothing for an integration.
 */
export const CLIENT_ROLES: readonly Role[] = ROLES.filter((role) => role !== 'patient');

export function isClientRole(value: string): value is Role {
  return (CLIENT_ROLES as readonly string[]).includes(value);
}
