import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRegistry, parseRegistry } from '@crossgov/schema';
import { Scope, createVerifier } from '@crossgov/schema/auth';
import { afterAll, describe, expect, it } from 'vitest';
import { devSecret } from './dev-secret.ts';
import { devToken } from './token.ts';

const registry = loadRegistry();
const secret = 's'.repeat(48);
const verify = createVerifier({ secret });

describe('pnpm token', () => {
  it('issues a token for an organisation that the services accept, with the scopes asked for', async () => {
    const token = await devToken(
      ['synergy', '--scopes', 'write,read:drafts', '--subject', 'ana', '--expires', '2h'],
      registry,
      secret,
    );
    const principal = await verify({ authorization: `Bearer ${token}` });
    expect(principal).toMatchObject({ subject: 'ana', organisation: 'synergy', anonymous: false });
    expect([...principal.scopes].sort()).toEqual([
      Scope.READ_DRAFTS,
      Scope.READ_PUBLISHED,
      Scope.WRITE,
    ]);
  });

  it('refuses an organisation that is not in the registry, naming it and listing the known ones', async () => {
    await expect(devToken(['atlantis'], registry, secret)).rejects.toThrow(
      'organisation "atlantis" is not in the registry (known: synergy, matrix',
    );
  });

  it("issues a publisher's data-team token with pub and the default scopes publish and read:drafts", async () => {
    const sector = parseRegistry({
      directory: { url: 'http://127.0.0.1:4001/graphql' },
      insights: { url: 'http://127.0.0.1:4002/graphql' },
      publishers: [
        {
          id: 'nhs-england',
          name: 'NHS England',
          typeName: 'NhsTrust',
          url: 'http://127.0.0.1:4201/graphql',
        },
      ],
      organisations: [
        { id: 'rj1', name: "Guy's and St Thomas'", kind: 'NHS_TRUST', publisher: 'nhs-england' },
      ],
    });
    const token = await devToken(
      ['--publisher', 'nhs-england', '--subject', 'data-team'],
      sector,
      secret,
    );
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<
      string,
      unknown
    >;
    expect(claims).toMatchObject({ pub: 'nhs-england', scope: 'publish read:drafts' });
    expect(claims).not.toHaveProperty('org');
    const principal = await verify({ authorization: `Bearer ${token}` });
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

  it("issues a token for an organisation's own publisher of one", async () => {
    const token = await devToken(['--publisher', 'norfolk'], registry, secret);
    expect(await verify({ authorization: `Bearer ${token}` })).toMatchObject({
      organisation: null,
      publisher: 'norfolk',
    });
  });

  it('refuses a publisher that is not in the registry, naming it and listing the known ones', async () => {
    await expect(devToken(['--publisher', 'nhs-wales'], registry, secret)).rejects.toThrow(
      'publisher "nhs-wales" is not in the registry (known: synergy, matrix',
    );
  });

  it('refuses a publisher token that also names an organisation', async () => {
    await expect(devToken(['norfolk', '--publisher', 'norfolk'], registry, secret)).rejects.toThrow(
      'name an organisation or --publisher norfolk, not both (norfolk)',
    );
  });

  it('refuses a scope it does not know, naming it', async () => {
    await expect(
      devToken(['norfolk', '--scopes', 'write,superuser'], registry, secret),
    ).rejects.toThrow('unknown scope "superuser"');
  });
});

describe('the development secret', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'crossgov-secret-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('is created once under the data folder, readable by its owner only, and kept across runs', () => {
    const first = devSecret(join(dataDir, 'nested'));
    expect(first).toMatch(/^[0-9a-f]{96}$/);
    expect(statSync(join(dataDir, 'nested', 'auth-secret')).mode & 0o077).toBe(0);
    expect(devSecret(join(dataDir, 'nested'))).toBe(first);
    expect(readFileSync(join(dataDir, 'nested', 'auth-secret'), 'utf8').trim()).toBe(first);
  });
});
