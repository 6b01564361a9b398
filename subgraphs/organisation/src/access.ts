import { type RegistryEntry, userError } from '@crossgov/schema';
import { type Principal, Scope } from '@crossgov/schema/auth';

// Ownership is per organisation, inside a publisher that may serve many (docs/architecture.md,
// "Publishers"): an organisation's token reaches its own rows only; a publisher-level token (`pub`
// claim, `publish` scope) reaches every organisation its publisher serves and no other.

type Owner = Pick<RegistryEntry, 'id' | 'publisher'>;

/** Whether the caller speaks for this organisation: its own token, its publisher's data team, or an administrator. */
function speaksFor(principal: Principal, organisation: Owner): boolean {
  return (
    principal.organisation === organisation.id ||
    (principal.publisher !== null && principal.publisher === organisation.publisher)
  );
}

/** Whether the caller may see this organisation's unpublished figures: a token that speaks for it with read:drafts, or an administrator. */
export function canReadDrafts(principal: Principal, organisation: Owner): boolean {
  if (principal.anonymous) return false;
  if (principal.scopes.has(Scope.ADMIN)) return true;
  return speaksFor(principal, organisation) && principal.scopes.has(Scope.READ_DRAFTS);
}

/**
 * Refuses a caller who may not write this organisation's data: anonymous callers are
 * UNAUTHENTICATED; another organisation's or another publisher's token, or one without the write
 * scope it needs (`write` for an organisation's token, `publish` for a publisher's), is FORBIDDEN.
 */
export function authoriseWrite(principal: Principal, organisation: Owner): void {
  const id = organisation.id;
  if (principal.anonymous) {
    // An organisation of a sector body may also be written by that body's data team.
    const team =
      organisation.publisher !== id
        ? `, or a token of publisher ${organisation.publisher} with the "${Scope.PUBLISH}" scope`
        : '';
    throw userError(
      'UNAUTHENTICATED',
      `writing ${id}'s data needs a token of ${id} with the "${Scope.WRITE}" scope${team}`,
    );
  }
  if (principal.scopes.has(Scope.ADMIN)) return;
  if (principal.publisher !== null) {
    if (principal.publisher !== organisation.publisher) {
      throw userError(
        'FORBIDDEN',
        `this token speaks for publisher ${principal.publisher}, which does not serve ${id} (its publisher is ${organisation.publisher})`,
      );
    }
    if (!principal.scopes.has(Scope.PUBLISH)) {
      throw userError(
        'FORBIDDEN',
        `writing ${id}'s data with a token of publisher ${principal.publisher} needs the "${Scope.PUBLISH}" scope, which this token does not grant`,
      );
    }
    return;
  }
  if (principal.organisation !== id) {
    throw userError(
      'FORBIDDEN',
      `this token speaks for ${principal.organisation ?? 'no organisation'}, so it may not write ${id}'s data (it needs the "${Scope.WRITE}" scope for ${id})`,
    );
  }
  if (!principal.scopes.has(Scope.WRITE)) {
    throw userError(
      'FORBIDDEN',
      `writing ${id}'s data needs the "${Scope.WRITE}" scope, which this token does not grant`,
    );
  }
}
