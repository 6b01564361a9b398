import { describe, expect, it } from 'vitest';
import { ANONYMOUS, type Principal, Scope } from '@crossgov/schema/auth';
import { authoriseWrite, canReadDrafts } from './access.ts';

// A trust NHS England publishes for, a second trust of the same publisher, and an organisation
// that is its own publisher of one.
const rj1 = { id: 'rj1', publisher: 'nhs-england' };
const rgt = { id: 'rgt', publisher: 'nhs-england' };
const norfolk = { id: 'norfolk', publisher: 'norfolk' };

const organisationToken = (organisation: string, scopes: Scope[]): Principal => ({
  subject: 'ana',
  organisation,
  publisher: null,
  scopes: new Set([Scope.READ_PUBLISHED, ...scopes]),
  anonymous: false,
});
const publisherToken = (publisher: string, scopes: Scope[]): Principal => ({
  subject: 'data-team',
  organisation: null,
  publisher,
  scopes: new Set([Scope.READ_PUBLISHED, ...scopes]),
  anonymous: false,
});
const admin: Principal = {
  subject: 'root',
  organisation: null,
  publisher: null,
  scopes: new Set([Scope.READ_PUBLISHED, Scope.ADMIN]),
  anonymous: false,
};

/** The refusal authoriseWrite throws: its code and message. */
function refusalOf(principal: Principal, organisation: { id: string; publisher: string }) {
  try {
    authoriseWrite(principal, organisation);
  } catch (error) {
    const { extensions, message } = error as { extensions: { code: string }; message: string };
    return { code: extensions.code, message };
  }
  throw new Error('expected authoriseWrite to refuse, it allowed the write');
}

describe('who may write an organisation’s data', () => {
  it("lets the organisation's own token with the write scope write", () => {
    expect(() => authoriseWrite(organisationToken('rj1', [Scope.WRITE]), rj1)).not.toThrow();
    expect(() =>
      authoriseWrite(organisationToken('norfolk', [Scope.WRITE]), norfolk),
    ).not.toThrow();
  });

  it("refuses another organisation's token as FORBIDDEN, naming both organisations", () => {
    // Even another trust of the same publisher: an organisation's token reaches its own rows only.
    const refusal = refusalOf(organisationToken('rgt', [Scope.WRITE]), rj1);
    expect(refusal.code).toBe('FORBIDDEN');
    expect(refusal.message).toBe(
      'this token speaks for rgt, so it may not write rj1\'s data (it needs the "write" scope for rj1)',
    );
    expect(
      refusalOf(organisationToken('norfolk', [Scope.WRITE, Scope.PUBLISH]), rj1),
    ).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/norfolk.*rj1/) });
  });

  it("lets the data team of the organisation's publisher write with the publish scope, for every organisation it serves", () => {
    const team = publisherToken('nhs-england', [Scope.PUBLISH]);
    expect(() => authoriseWrite(team, rj1)).not.toThrow();
    expect(() => authoriseWrite(team, rgt)).not.toThrow();
  });

  it("refuses the publisher's data team without the publish scope as FORBIDDEN, naming the scope", () => {
    // The write scope is an organisation token's; a publisher's token needs publish.
    const refusal = refusalOf(publisherToken('nhs-england', [Scope.WRITE, Scope.READ_DRAFTS]), rj1);
    expect(refusal.code).toBe('FORBIDDEN');
    expect(refusal.message).toBe(
      'writing rj1\'s data with a token of publisher nhs-england needs the "publish" scope, which this token does not grant',
    );
  });

  it("refuses another publisher's data team as FORBIDDEN, naming both publishers", () => {
    const refusal = refusalOf(publisherToken('nhs-wales', [Scope.PUBLISH]), rj1);
    expect(refusal.code).toBe('FORBIDDEN');
    expect(refusal.message).toBe(
      'this token speaks for publisher nhs-wales, which does not serve rj1 (its publisher is nhs-england)',
    );
    // A publisher of one reaches its own organisation only.
    expect(refusalOf(publisherToken('norfolk', [Scope.PUBLISH]), rj1)).toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringContaining('publisher norfolk'),
    });
  });

  it('lets an administrator write any organisation', () => {
    expect(() => authoriseWrite(admin, rj1)).not.toThrow();
    expect(() => authoriseWrite(admin, norfolk)).not.toThrow();
  });

  it('refuses an anonymous caller as UNAUTHENTICATED, naming the organisation and the scopes that would do', () => {
    const refusal = refusalOf(ANONYMOUS, rj1);
    expect(refusal.code).toBe('UNAUTHENTICATED');
    expect(refusal.message).toBe(
      'writing rj1\'s data needs a token of rj1 with the "write" scope, or a token of publisher nhs-england with the "publish" scope',
    );
    expect(refusalOf(ANONYMOUS, norfolk).message).toBe(
      'writing norfolk\'s data needs a token of norfolk with the "write" scope',
    );
  });

  it("refuses the organisation's read-only token as FORBIDDEN, naming the missing scope", () => {
    const refusal = refusalOf(organisationToken('rj1', [Scope.READ_DRAFTS]), rj1);
    expect(refusal.code).toBe('FORBIDDEN');
    expect(refusal.message).toBe(
      'writing rj1\'s data needs the "write" scope, which this token does not grant',
    );
  });
});

describe('who may read an organisation’s drafts', () => {
  it("lets the organisation's own token with read:drafts, and not without it", () => {
    expect(canReadDrafts(organisationToken('rj1', [Scope.READ_DRAFTS]), rj1)).toBe(true);
    expect(canReadDrafts(organisationToken('rj1', [Scope.WRITE]), rj1)).toBe(false);
  });

  it("refuses another organisation's token, even with read:drafts and of the same publisher", () => {
    expect(canReadDrafts(organisationToken('rgt', [Scope.READ_DRAFTS]), rj1)).toBe(false);
    expect(canReadDrafts(organisationToken('norfolk', [Scope.READ_DRAFTS]), rj1)).toBe(false);
  });

  it("lets the data team of the organisation's publisher with read:drafts, for every organisation it serves", () => {
    const team = publisherToken('nhs-england', [Scope.PUBLISH, Scope.READ_DRAFTS]);
    expect(canReadDrafts(team, rj1)).toBe(true);
    expect(canReadDrafts(team, rgt)).toBe(true);
    expect(canReadDrafts(publisherToken('nhs-england', [Scope.PUBLISH]), rj1)).toBe(false);
  });

  it("refuses another publisher's data team", () => {
    expect(
      canReadDrafts(publisherToken('nhs-wales', [Scope.PUBLISH, Scope.READ_DRAFTS]), rj1),
    ).toBe(false);
    expect(
      canReadDrafts(publisherToken('nhs-england', [Scope.PUBLISH, Scope.READ_DRAFTS]), norfolk),
    ).toBe(false);
  });

  it('lets an administrator, and never an anonymous caller', () => {
    expect(canReadDrafts(admin, rj1)).toBe(true);
    expect(canReadDrafts(ANONYMOUS, rj1)).toBe(false);
  });
});
