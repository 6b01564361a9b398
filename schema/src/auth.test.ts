import { GraphQLError } from 'graphql';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { ANONYMOUS, type AuthConfig, Scope, createVerifier, issueToken } from './auth.ts';

const config: AuthConfig = { secret: 'a'.repeat(16) + 'b'.repeat(16) };
const verify = createVerifier(config);
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const synergyWriter = () =>
  issueToken(config, {
    subject: 'ana',
    organisation: 'synergy',
    scopes: [Scope.WRITE, Scope.READ_DRAFTS],
    expiresIn: '1h',
  });

/** The refusal's code and reason, or a failure naming what came back instead. */
async function refusalOf(attempt: Promise<unknown>) {
  const error = await attempt.then(
    () => expect.unreachable('the token was accepted'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GraphQLError);
  const { extensions, message } = error as GraphQLError;
  return {
    code: extensions.code,
    reason: extensions.reason,
    status: (extensions.http as { status: number }).status,
    message,
  };
}

describe('identity from request headers', () => {
  it('treats a request without a token as anonymous, able to read published data only', async () => {
    const principal = await verify({ 'content-type': 'application/json' });
    expect(principal).toBe(ANONYMOUS);
    expect([...principal.scopes]).toEqual([Scope.READ_PUBLISHED]);
    expect(principal.anonymous).toBe(true);
  });

  it('reads the subject, organisation and scopes of a valid bearer token', async () => {
    const principal = await verify(bearer(await synergyWriter()));
    expect(principal).toMatchObject({ subject: 'ana', organisation: 'synergy', anonymous: false });
    expect([...principal.scopes].sort()).toEqual([
      Scope.READ_DRAFTS,
      Scope.READ_PUBLISHED,
      Scope.WRITE,
    ]);
  });

  it('accepts the same token in x-api-key, for BI tools that cannot set a bearer scheme', async () => {
    const principal = await verify({ 'x-api-key': await synergyWriter() });
    expect(principal).toMatchObject({ subject: 'ana', organisation: 'synergy', anonymous: false });
  });

  it('leaves the organisation null for a token that names none', async () => {
    const token = await issueToken(config, {
      subject: 'analyst',
      organisation: null,
      scopes: [],
      expiresIn: '1h',
    });
    expect(await verify(bearer(token))).toMatchObject({
      organisation: null,
      scopes: new Set([Scope.READ_PUBLISHED]),
    });
  });

  it("reads a publisher's data team from a pub token, with no organisation", async () => {
    const token = await issueToken(config, {
      subject: 'data-team',
      organisation: null,
      publisher: 'nhs-england',
      scopes: [Scope.PUBLISH, Scope.READ_DRAFTS],
      expiresIn: '1h',
    });
    const principal = await verify(bearer(token));
    expect(principal).toMatchObject({
      subject: 'data-team',
      organisation: null,
      publisher: 'nhs-england',
      anonymous: false,
    });
    expect([...principal.scopes].sort()).toEqual([
      Scope.PUBLISH,
      Scope.READ_DRAFTS,
      Scope.READ_PUBLISHED,
    ]);
  });

  it("leaves the publisher null for an organisation's token and for anonymous callers", async () => {
    expect((await verify(bearer(await synergyWriter()))).publisher).toBeNull();
    expect(ANONYMOUS.publisher).toBeNull();
  });

  it('knows the publish scope', async () => {
    expect(Scope.PUBLISH).toBe('publish');
    const key = new TextEncoder().encode(config.secret);
    const token = await new SignJWT({ pub: 'nhs-england', scope: 'publish' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('nhs-england-data-team')
      .setIssuedAt()
      .setIssuer('crossgov')
      .setAudience('crossgov')
      .setExpirationTime('1h')
      .sign(key);
    expect((await verify(bearer(token))).scopes.has(Scope.PUBLISH)).toBe(true);
  });

  it('refuses a token that speaks for both an organisation and a publisher as MALFORMED', async () => {
    const token = await issueToken(config, {
      subject: 'ana',
      organisation: 'rj1',
      publisher: 'nhs-england',
      scopes: [Scope.WRITE],
      expiresIn: '1h',
    });
    const refusal = await refusalOf(verify(bearer(token)));
    expect(refusal).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'MALFORMED', status: 401 });
    expect(refusal.message).toBe(
      'a token speaks for one organisation ("org") or one publisher ("pub"), not both',
    );
  });

  it('refuses a pub claim that is not a string as MALFORMED', async () => {
    const key = new TextEncoder().encode(config.secret);
    const token = await new SignJWT({ pub: ['nhs-england'], scope: 'publish' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('nhs-england-data-team')
      .setIssuedAt()
      .setIssuer('crossgov')
      .setAudience('crossgov')
      .setExpirationTime('1h')
      .sign(key);
    const refusal = await refusalOf(verify(bearer(token)));
    expect(refusal).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'MALFORMED' });
    expect(refusal.message).toContain('"pub" claim must be a string');
  });

  it('refuses an expired token as EXPIRED with HTTP 401', async () => {
    const token = await issueToken(config, {
      subject: 'ana',
      organisation: 'synergy',
      scopes: [],
      expiresIn: '-1m',
    });
    expect(await refusalOf(verify(bearer(token)))).toMatchObject({
      code: 'UNAUTHENTICATED',
      reason: 'EXPIRED',
      status: 401,
    });
  });

  it('refuses a token whose payload was altered as BAD_SIGNATURE, without echoing the token', async () => {
    const [header, payload, signature] = (await synergyWriter()).split('.') as [
      string,
      string,
      string,
    ];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<
      string,
      unknown
    >;
    const forged = Buffer.from(
      JSON.stringify({ ...claims, org: 'norfolk', scope: 'admin' }),
    ).toString('base64url');
    const tampered = `${header}.${forged}.${signature}`;
    const refusal = await refusalOf(verify(bearer(tampered)));
    expect(refusal).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'BAD_SIGNATURE' });
    expect(refusal.message).not.toContain(forged);
  });

  it('refuses a token signed with another secret as BAD_SIGNATURE', async () => {
    const token = await issueToken(
      { secret: 'x'.repeat(40) },
      { subject: 'ana', organisation: 'synergy', scopes: [], expiresIn: '1h' },
    );
    expect(await refusalOf(verify(bearer(token)))).toMatchObject({
      code: 'UNAUTHENTICATED',
      reason: 'BAD_SIGNATURE',
    });
  });

  it('refuses a token for another audience or issuer as WRONG_AUDIENCE_OR_ISSUER', async () => {
    const otherAudience = await issueToken(
      { ...config, audience: 'elsewhere' },
      { subject: 'ana', organisation: null, scopes: [], expiresIn: '1h' },
    );
    expect(await refusalOf(verify(bearer(otherAudience)))).toMatchObject({
      reason: 'WRONG_AUDIENCE_OR_ISSUER',
    });
    const otherIssuer = await issueToken(
      { ...config, issuer: 'elsewhere' },
      { subject: 'ana', organisation: null, scopes: [], expiresIn: '1h' },
    );
    expect(await refusalOf(verify(bearer(otherIssuer)))).toMatchObject({
      reason: 'WRONG_AUDIENCE_OR_ISSUER',
    });
  });

  it('refuses a scope it does not know as UNKNOWN_SCOPE, naming it', async () => {
    const token = await issueToken(config, {
      subject: 'ana',
      organisation: 'synergy',
      scopes: ['write', 'delete:everything'] as Scope[],
      expiresIn: '1h',
    });
    const refusal = await refusalOf(verify(bearer(token)));
    expect(refusal).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'UNKNOWN_SCOPE' });
    expect(refusal.message).toContain('"delete:everything"');
  });

  describe('a token that names no caller, or claims too much time', () => {
    const key = new TextEncoder().encode(config.secret);
    const signed = (build: (jwt: SignJWT) => SignJWT) =>
      build(
        new SignJWT({ org: 'synergy', scope: 'write' })
          .setProtectedHeader({ alg: 'HS256' })
          .setIssuer('crossgov')
          .setAudience('crossgov'),
      ).sign(key);

    it('refuses a token without a subject as MALFORMED, saying what is missing', async () => {
      const refusal = await refusalOf(
        verify(bearer(await signed((jwt) => jwt.setIssuedAt().setExpirationTime('1h')))),
      );
      expect(refusal).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'MALFORMED', status: 401 });
      expect(refusal.message).toBe('the token must say who is calling (sub); this one does not');
    });

    it('refuses a token without an issue time as MALFORMED', async () => {
      const refusal = await refusalOf(
        verify(bearer(await signed((jwt) => jwt.setSubject('ana').setExpirationTime('1h')))),
      );
      expect(refusal.message).toBe(
        'the token must say when it was issued (iat); this one does not',
      );
    });

    it('refuses a token issued two hours in the future, and accepts one issued 30 s ahead (clock skew)', async () => {
      const now = Math.floor(Date.now() / 1000);
      const ahead = await signed((jwt) =>
        jwt
          .setSubject('ana')
          .setIssuedAt(now + 7200)
          .setExpirationTime(now + 10800),
      );
      expect(await refusalOf(verify(bearer(ahead)))).toMatchObject({
        code: 'UNAUTHENTICATED',
        reason: 'ISSUED_IN_THE_FUTURE',
      });
      const slightly = await signed((jwt) =>
        jwt
          .setSubject('ana')
          .setIssuedAt(now + 30)
          .setExpirationTime(now + 3600),
      );
      expect((await verify(bearer(slightly))).subject).toBe('ana');
    });

    it('refuses a token valid for 100 years, naming both lifetimes', async () => {
      const refusal = await refusalOf(
        verify(
          bearer(
            await issueToken(config, {
              subject: 'ana',
              organisation: 'synergy',
              scopes: [Scope.WRITE],
              expiresIn: '100y',
            }),
          ),
        ),
      );
      expect(refusal).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'TOO_LONG_LIVED' });
      expect(refusal.message).toMatch(
        /^the token is valid for 365\d\d days from issue to expiry; this service accepts at most 90 days/,
      );
    });

    it('takes the longest lifetime from its configuration', async () => {
      const strict = createVerifier({ ...config, maxLifetimeSeconds: 3600 });
      const day = await issueToken(config, {
        subject: 'ana',
        organisation: 'synergy',
        scopes: [],
        expiresIn: '1d',
      });
      expect(await refusalOf(strict(bearer(day)))).toMatchObject({ reason: 'TOO_LONG_LIVED' });
      expect(
        (
          await strict(
            bearer(
              await issueToken(config, {
                subject: 'ana',
                organisation: 'synergy',
                scopes: [],
                expiresIn: '30m',
              }),
            ),
          )
        ).subject,
      ).toBe('ana');
    });

    it('refuses a token issued longer ago than the longest lifetime, whatever its expiry says', async () => {
      const now = Math.floor(Date.now() / 1000);
      const old = await signed((jwt) =>
        jwt
          .setSubject('ana')
          .setIssuedAt(now - 100 * 24 * 3600)
          .setExpirationTime(now + 3600),
      );
      expect(await refusalOf(verify(bearer(old)))).toMatchObject({ reason: 'TOO_LONG_LIVED' });
    });
  });

  it('refuses a token without an expiry, and one that is not a JWT, as MALFORMED', async () => {
    const key = new TextEncoder().encode(config.secret);
    const forever = await new SignJWT({ scope: 'write' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('crossgov')
      .setAudience('crossgov')
      .sign(key);
    expect(await refusalOf(verify(bearer(forever)))).toMatchObject({ reason: 'MALFORMED' });
    expect(await refusalOf(verify(bearer('not-a-token')))).toMatchObject({ reason: 'MALFORMED' });
    expect(await refusalOf(verify({ authorization: 'Basic dXNlcjpwYXNz' }))).toMatchObject({
      reason: 'MALFORMED',
    });
  });

  it('refuses any token as NOT_CONFIGURED when no secret is configured, and still serves anonymous callers', async () => {
    const unconfigured = createVerifier({});
    expect(await unconfigured({})).toBe(ANONYMOUS);
    const refusal = await refusalOf(unconfigured(bearer(await synergyWriter())));
    expect(refusal).toMatchObject({
      code: 'UNAUTHENTICATED',
      reason: 'NOT_CONFIGURED',
      status: 401,
    });
  });

  it('refuses a secret shorter than 32 characters when verifying or issuing', async () => {
    expect(() => createVerifier({ secret: 'short' })).toThrow(
      'the auth secret (AUTH_SECRET) has 5 characters; it needs at least 32',
    );
    await expect(
      issueToken(
        { secret: 'x'.repeat(31) },
        { subject: 'ana', organisation: null, scopes: [], expiresIn: '1h' },
      ),
    ).rejects.toThrow('has 31 characters; it needs at least 32');
    expect(() => createVerifier({ secret: 'x'.repeat(32) })).not.toThrow();
  });
});
