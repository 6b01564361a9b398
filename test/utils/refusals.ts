import { ANONYMOUS, type Principal, Scope } from '@crossgov/schema/auth';
import { expect, it } from 'vitest';

export interface RefusalOptions {
  /** The organisation written to: its own read-only tokens are refused too. */
  organisation: string;
  /** Another organisation, whose write token must not reach this one's data. */
  other: string;
  /** Each write a caller might attempt (a store call with the caller as its principal); every one must be refused. */
  writes: ((caller: Principal) => Promise<unknown>)[];
  /** What must not change: read before and after the attempts, compared with toEqual (row counts, a snapshot). */
  unchanged: () => Promise<unknown>;
}

const principal = (organisation: string | null, scopes: Scope[]): Principal => ({
  subject: `${organisation ?? 'someone'}-officer`,
  organisation,
  publisher: null,
  scopes: new Set(scopes),
  anonymous: false,
});

/**
 * The authorisation every write path of an organisation's data owes, as tests of the describe block
 * it is called in: UNAUTHENTICATED for an anonymous caller; FORBIDDEN for another organisation's
 * write token and for the organisation's own tokens that may only read (published, or drafts too);
 * each refusal writes nothing.
 */
export function itRefusesCallersWhoMayNotWrite(options: RefusalOptions): void {
  it.each([
    ['an anonymous caller', ANONYMOUS, 'UNAUTHENTICATED'],
    ["another organisation's token", principal(options.other, [Scope.WRITE]), 'FORBIDDEN'],
    [
      'a read-only token of the organisation',
      principal(options.organisation, [Scope.READ_PUBLISHED, Scope.READ_DRAFTS]),
      'FORBIDDEN',
    ],
    [
      'a token of the organisation that reads only what is published',
      principal(options.organisation, [Scope.READ_PUBLISHED]),
      'FORBIDDEN',
    ],
  ])('refuses %s and writes nothing', async (_name, caller, code) => {
    const before = await options.unchanged();
    for (const write of options.writes)
      await expect(write(caller)).rejects.toMatchObject({ extensions: { code } });
    expect(await options.unchanged()).toEqual(before);
  });
}
