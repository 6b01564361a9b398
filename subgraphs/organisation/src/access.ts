import { type Principal, Scope, userError } from '@crossgov/schema';

/** Whether the caller may see this organisation's unpublished figures: its own token with read:drafts, or an administrator. */
export function canReadDrafts(principal: Principal, organisationId: string): boolean {
  if (principal.anonymous) return false;
  if (principal.scopes.has(Scope.ADMIN)) return true;
  return principal.organisation === organisationId && principal.scopes.has(Scope.READ_DRAFTS);
}

/**
 * Refuses a caller who may not write this organisation's data: anonymous callers are
 * UNAUTHENTICATED; another organisation's token, or one without the write scope, is FORBIDDEN.
 */
export function authoriseWrite(principal: Principal, organisationId: string): void {
  if (principal.anonymous) throw userError('UNAUTHENTICATED', `writing ${organisationId}'s data needs a token with the "${Scope.WRITE}" scope`);
  if (principal.scopes.has(Scope.ADMIN)) return;
  if (principal.organisation !== organisationId) {
    throw userError('FORBIDDEN', `this token speaks for ${principal.organisation ?? 'no organisation'}, so it may not write ${organisationId}'s data (it needs the "${Scope.WRITE}" scope for ${organisationId})`);
  }
  if (!principal.scopes.has(Scope.WRITE)) {
    throw userError('FORBIDDEN', `writing ${organisationId}'s data needs the "${Scope.WRITE}" scope, which this token does not grant`);
  }
}
