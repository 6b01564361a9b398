import { type AuthConfig, Scope, issueToken } from '@crossgov/schema/auth';

/** A token issued for `organisation` as a test caller; `expiresIn` in jose's terms ('1h', '-5m'). */
export const tokenFor = (
  auth: AuthConfig,
  organisation: string | null,
  scopes: Scope[],
  expiresIn = '1h',
) =>
  issueToken(auth, {
    subject: `${organisation ?? 'someone'}-officer`,
    organisation,
    scopes,
    expiresIn,
  });

/** A token for `publisher`'s data team (`pub` claim, no `org`) as a test caller; `expiresIn` in jose's terms ('1h', '-5m'). */
export const publisherTokenFor = (
  auth: AuthConfig,
  publisher: string,
  scopes: Scope[],
  expiresIn = '1h',
) =>
  issueToken(auth, {
    subject: `${publisher}-data-team`,
    organisation: null,
    publisher,
    scopes,
    expiresIn,
  });

/** The token with its payload rewritten (by default to claim every scope); the signature no longer matches. */
export function tampered(
  jwt: string,
  claims: Record<string, unknown> = { scope: 'write admin read:drafts' },
): string {
  const [header, payload, signature] = jwt.split('.') as [string, string, string];
  const original = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<
    string,
    unknown
  >;
  return `${header}.${Buffer.from(JSON.stringify({ ...original, ...claims })).toString('base64url')}.${signature}`;
}

/**
 * Tokens for `organisation` that every subgraph must refuse with UNAUTHENTICATED, whatever their
 * scopes say: expired, tampered, and signed with a secret other than the graph's.
 */
export async function invalidTokens(
  auth: AuthConfig,
  organisation: string,
): Promise<{ what: string; token: string; reason: string }[]> {
  return [
    {
      what: 'an expired token',
      token: await tokenFor(auth, organisation, [Scope.WRITE], '-5m'),
      reason: 'EXPIRED',
    },
    {
      what: 'a tampered token',
      token: tampered(await tokenFor(auth, organisation, [Scope.READ_PUBLISHED])),
      reason: 'BAD_SIGNATURE',
    },
    {
      what: 'a token signed with another secret',
      token: await tokenFor({ secret: 'not-the-graph-secret-'.padEnd(48, 'z') }, organisation, [
        Scope.WRITE,
      ]),
      reason: 'BAD_SIGNATURE',
    },
  ];
}
