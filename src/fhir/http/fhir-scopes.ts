import type { Caller } from '../../access/caller.js';
import { AppError } from '../../errors/app-error.js';

/**
 * SMART App Launch 2 scopes (`patient/Flag.rs`, `user/*.rs`, `system/*.cruds`) and the
 * platform's own `fhir:read` / `fhir:write`, as far as the FHIR facade needs them: may a token
 * with these scopes do this interaction on this type? A session (no scopes) may do whatever its
 * roles allow; roles and the access decision still apply to every token.
 */
export type FhirInteraction = 'read' | 'search' | 'create' | 'update' | 'delete';

const LETTER: Readonly<Record<FhirInteraction, string>> = { read: 'r', search: 's', create: 'c', update: 'u', delete: 'd' };
const V1_READ = new Set(['read', '*']);
const V1_WRITE = new Set(['write', '*']);
const SMART_SCOPE = /^(patient|user|system)\/(\*|[A-Z][A-Za-z]+)\.(\*|read|write|c?r?u?d?s?)$/;

export function isSmartResourceScope(scope: string): boolean {
  const match = SMART_SCOPE.exec(scope);
  return match !== null && match[3] !== '';
}

export function scopesAllow(scopes: readonly string[], resourceType: string, interaction: FhirInteraction): boolean {
  const write = interaction === 'create' || interaction === 'update' || interaction === 'delete';
  if (scopes.includes(write ? 'fhir:write' : 'fhir:read')) return true;
  return scopes.some((scope) => {
    const match = SMART_SCOPE.exec(scope);
    if (!match) return false;
    const [, , type, permissions = ''] = match;
    if (type !== '*' && type !== resourceType) return false;
    if (write ? V1_WRITE.has(permissions) : V1_READ.has(permissions)) return true;
    return permissions.includes(LETTER[interaction]);
  });
}

/** Refuses a token whose scopes do not cover the interaction; a session passes. */
export function requireScope(caller: Caller | undefined, resourceType: string, interaction: FhirInteraction): void {
  if (!caller) throw new AppError('unauthenticated', 'Sign in, or send an access token.');
  if (caller.scopes === undefined || scopesAllow(caller.scopes, resourceType, interaction)) return;
  throw new AppError(
    'forbidden',
    `The access token's scopes (${caller.scopes.join(' ') || 'none'}) do not allow ${interaction} of ${resourceType}; ` +
      `ask for ${interaction === 'read' || interaction === 'search' ? `user/${resourceType}.rs or fhir:read` : `user/${resourceType}.cud or fhir:write`}.`,
  );
}
