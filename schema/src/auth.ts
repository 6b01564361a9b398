import type { GraphQLError } from 'graphql';
import { SignJWT, errors, jwtVerify } from 'jose';
import { RequestError } from './errors.ts';

/** What a token may allow. Anonymous callers get `read:published` only. */
export enum Scope {
  READ_PUBLISHED = 'read:published',
  READ_DRAFTS = 'read:drafts',
  WRITE = 'write',
  /** A publisher's data team: writes (imports, submissions) for every organisation its publisher serves, and no other. */
  PUBLISH = 'publish',
  ADMIN = 'admin',
}

const SCOPES = new Set<string>(Object.values(Scope));

/** Who is calling, as every service sees it after verifying the token itself. */
export interface Principal {
  /** The token's `sub`; null when anonymous or absent. */
  subject: string | null;
  /** The organisation the token speaks for (`org`); null for anonymous or cross-government tokens. */
  organisation: string | null;
  /** The publisher whose data team the token speaks for (`pub`); null unless it is a publisher-level token. */
  publisher: string | null;
  scopes: ReadonlySet<Scope>;
  anonymous: boolean;
}

export const ANONYMOUS: Principal = Object.freeze({
  subject: null,
  organisation: null,
  publisher: null,
  scopes: new Set([Scope.READ_PUBLISHED]) as ReadonlySet<Scope>,
  anonymous: true,
});

export interface AuthConfig {
  /** HS256 shared secret, at least 32 characters. Absent: everyone is anonymous and any token is refused. */
  secret?: string | undefined;
  /**
   * The longest a token may be valid, from issue to expiry, in seconds; a longer one is refused.
   * @default 7776000 (90 days)
   */
  maxLifetimeSeconds?: number | undefined;
  /**
   * Seconds a token's issue and expiry times may be off this server's clock.
   * @default 60
   */
  clockSkewSeconds?: number | undefined;
  /** @default 'crossgov' */
  issuer?: string | undefined;
  /** @default 'crossgov' */
  audience?: string | undefined;
}

/** Why a token was refused, in `extensions.reason`. */
export type AuthFailure =
  | 'EXPIRED'
  | 'BAD_SIGNATURE'
  | 'MALFORMED'
  | 'WRONG_AUDIENCE_OR_ISSUER'
  | 'UNKNOWN_SCOPE'
  | 'NOT_CONFIGURED'
  | 'TOO_LONG_LIVED'
  | 'ISSUED_IN_THE_FUTURE';

export type RequestHeaders = Record<string, string | string[] | undefined>;

export const MIN_SECRET_LENGTH = 32;
const ALGORITHM = 'HS256';

function unauthenticated(reason: AuthFailure, message: string): GraphQLError {
  return new RequestError('UNAUTHENTICATED', message, { reason });
}

function keyFor(secret: string | undefined, who: string): Uint8Array | undefined {
  if (secret === undefined) return undefined;
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new Error(
      `${who}: the auth secret (AUTH_SECRET) has ${secret.length} characters; it needs at least ${MIN_SECRET_LENGTH}`,
    );
  }
  return new TextEncoder().encode(secret);
}

/**
 * The token a request carries: `authorization: Bearer <jwt>`, or `x-api-key: <jwt>` for BI tools
 * that can set a header but not a scheme. Null when neither is sent.
 */
export function tokenFrom(headers: RequestHeaders): string | null {
  const single = (name: string) => {
    const value = headers[name];
    if (Array.isArray(value)) {
      if (value.length > 1)
        throw unauthenticated('MALFORMED', `the ${name} header was sent more than once`);
      return value[0]?.trim() || null;
    }
    return value?.trim() || null;
  };
  const authorization = single('authorization');
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match)
      throw unauthenticated('MALFORMED', 'the authorization header must be "Bearer <token>"');
    return match[1]!;
  }
  return single('x-api-key');
}

/** Builds the check every service runs on each request's headers. */
export function createVerifier(
  config: AuthConfig,
): (headers: RequestHeaders) => Promise<Principal> {
  const key = keyFor(config.secret, 'createVerifier');
  const issuer = config.issuer ?? 'crossgov';
  const audience = config.audience ?? 'crossgov';
  const maxLifetime = config.maxLifetimeSeconds ?? DEFAULT_MAX_LIFETIME_SECONDS;
  const skew = config.clockSkewSeconds ?? 60;
  return async (headers) => {
    const token = tokenFrom(headers);
    if (token === null) return ANONYMOUS;
    if (!key)
      throw unauthenticated(
        'NOT_CONFIGURED',
        'a token was sent but this service has no auth secret configured, so it accepts anonymous requests only',
      );
    let payload: Record<string, unknown>;
    try {
      // A token must say who is calling (sub), when it was issued (iat) and when it ends (exp):
      // one without an expiry would be valid for ever if leaked. maxTokenAge also refuses a
      // token issued in the future, beyond the clock skew.
      ({ payload } = await jwtVerify(token, key, {
        issuer,
        audience,
        algorithms: [ALGORITHM],
        requiredClaims: ['exp', 'iat', 'sub'],
        clockTolerance: skew,
        maxTokenAge: maxLifetime,
      }));
    } catch (error) {
      throw refusal(error);
    }
    const lifetime = (payload.exp as number) - (payload.iat as number);
    if (lifetime > maxLifetime) {
      throw unauthenticated(
        'TOO_LONG_LIVED',
        `the token is valid for ${describeSeconds(lifetime)} from issue to expiry; this service accepts at most ${describeSeconds(maxLifetime)}: ask for a shorter-lived one`,
      );
    }
    return principalFrom(payload);
  };
}

/** 90 days: long enough for a BI tool's scheduled refresh, short enough that a leaked token ends. */
const DEFAULT_MAX_LIFETIME_SECONDS = 90 * 24 * 3600;

function describeSeconds(seconds: number): string {
  if (seconds >= 2 * 24 * 3600) return `${Math.round(seconds / (24 * 3600))} days`;
  if (seconds >= 2 * 3600) return `${Math.round(seconds / 3600)} hours`;
  return `${Math.round(seconds / 60)} minutes`;
}

function refusal(error: unknown): GraphQLError {
  if (error instanceof errors.JWTExpired && error.claim === 'iat')
    return unauthenticated(
      'TOO_LONG_LIVED',
      'the token was issued longer ago than this service accepts a token to live; ask for a new one',
    );
  if (error instanceof errors.JWTExpired)
    return unauthenticated('EXPIRED', 'the token has expired; ask for a new one');
  if (
    error instanceof errors.JWTClaimValidationFailed &&
    error.claim === 'iat' &&
    error.reason === 'check_failed'
  ) {
    return unauthenticated(
      'ISSUED_IN_THE_FUTURE',
      "the token's issue time (iat) is in the future by more than this service's clock skew allows: check the issuer's clock",
    );
  }
  if (error instanceof errors.JWTClaimValidationFailed && error.reason === 'missing') {
    const what: Record<string, string> = {
      sub: 'who is calling (sub)',
      iat: 'when it was issued (iat)',
      exp: 'when it expires (exp)',
    };
    return unauthenticated(
      'MALFORMED',
      `the token must say ${what[error.claim] ?? `"${error.claim}"`}; this one does not`,
    );
  }
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return unauthenticated(
      'BAD_SIGNATURE',
      'the token signature does not match: it was altered or signed with another key',
    );
  if (error instanceof errors.JOSEAlgNotAllowed)
    return unauthenticated('BAD_SIGNATURE', `the token must be signed with ${ALGORITHM}`);
  if (
    error instanceof errors.JWTClaimValidationFailed &&
    (error.claim === 'iss' || error.claim === 'aud')
  ) {
    return unauthenticated(
      'WRONG_AUDIENCE_OR_ISSUER',
      `the token's "${error.claim}" claim is not the one this service accepts`,
    );
  }
  if (error instanceof errors.JWTClaimValidationFailed)
    return unauthenticated(
      'MALFORMED',
      `the token's "${error.claim}" claim is invalid: ${error.reason}`,
    );
  return unauthenticated('MALFORMED', 'the token is not a well-formed signed JWT');
}

function principalFrom(payload: Record<string, unknown>): Principal {
  const { sub, org, pub, scope } = payload;
  if (sub !== undefined && typeof sub !== 'string')
    throw unauthenticated('MALFORMED', 'the token\'s "sub" claim must be a string');
  if (org !== undefined && typeof org !== 'string')
    throw unauthenticated('MALFORMED', 'the token\'s "org" claim must be a string');
  if (pub !== undefined && typeof pub !== 'string')
    throw unauthenticated('MALFORMED', 'the token\'s "pub" claim must be a string');
  if (org !== undefined && pub !== undefined)
    throw unauthenticated(
      'MALFORMED',
      'a token speaks for one organisation ("org") or one publisher ("pub"), not both',
    );
  if (scope !== undefined && typeof scope !== 'string')
    throw unauthenticated(
      'MALFORMED',
      'the token\'s "scope" claim must be a space-separated string',
    );
  // A signed-in caller may do at least what an anonymous one may.
  const scopes = new Set<Scope>([Scope.READ_PUBLISHED]);
  for (const name of (scope ?? '').split(' ').filter(Boolean)) {
    if (!SCOPES.has(name))
      throw unauthenticated(
        'UNKNOWN_SCOPE',
        `the token grants scope "${name}", which is not one of ${[...SCOPES].join(', ')}`,
      );
    scopes.add(name as Scope);
  }
  return {
    subject: sub ?? null,
    organisation: org ?? null,
    publisher: pub ?? null,
    scopes,
    anonymous: false,
  };
}

export interface TokenClaims {
  subject: string;
  /** Organisation id; null for a token that speaks for no single organisation. */
  organisation: string | null;
  /** Publisher id, for a publisher's data team (with the `publish` scope); never together with `organisation`. */
  publisher?: string | null;
  scopes: readonly Scope[];
  /** A jose time span such as '8h' or '30m'. */
  expiresIn: string;
}

/** Signs a token the verifier accepts (development tokens, tests). */
export async function issueToken(config: AuthConfig, claims: TokenClaims): Promise<string> {
  const key = keyFor(config.secret, 'issueToken');
  if (!key) throw new Error('issueToken: no auth secret configured (AUTH_SECRET)');
  return new SignJWT({
    ...(claims.organisation ? { org: claims.organisation } : {}),
    ...(claims.publisher ? { pub: claims.publisher } : {}),
    scope: claims.scopes.join(' '),
  })
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setSubject(claims.subject)
    .setIssuer(config.issuer ?? 'crossgov')
    .setAudience(config.audience ?? 'crossgov')
    .setIssuedAt()
    .setExpirationTime(claims.expiresIn)
    .sign(key);
}
