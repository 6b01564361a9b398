import { describe, expect, it } from 'vitest';
import { type Registry, entityTypeName, findEntry, loadRegistry, parseRegistry } from './registry.ts';

/** A small valid registry document; each test breaks one thing in a fresh copy. */
function document() {
  return {
    directory: { url: 'http://127.0.0.1:4001/graphql' },
    insights: { url: 'http://127.0.0.1:4002/graphql' },
    organisations: [
      {
        id: 'alpha',
        name: 'Alpha',
        kind: 'CLUSTER',
        lead: 'DWP',
        members: [{ department: 'DWP', from: '2021-03-01' }],
        subgraph: { url: 'http://127.0.0.1:4101/graphql' },
        seed: { profile: 'cluster' },
      },
      {
        id: 'beta',
        name: 'Beta',
        kind: 'DEPARTMENT',
        subgraph: { url: 'http://127.0.0.1:4102/graphql' },
      },
    ],
  };
}

function errorOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected an error, none was thrown');
}

describe('the checked-in registry', () => {
  const registry = loadRegistry();

  it('lists eight organisations in order', () => {
    expect(registry.organisations.map((org) => org.id)).toEqual(['synergy', 'matrix', 'unity', 'defence', 'overseas', 'interoperability', 'hmrc', 'norfolk']);
  });

  it('gives each organisation its own subgraph URL', () => {
    const urls = registry.organisations.map((org) => org.subgraph.url);
    expect(new Set(urls).size).toBe(8);
  });

  it('records the BEIS split of 7 February 2023 in Matrix', () => {
    const matrix = findEntry(registry, 'matrix');
    expect(matrix.members).toContainEqual({ department: 'BEIS', from: '2021-03-01', to: '2023-02-06' });
    expect(matrix.members).toContainEqual({ department: 'DSIT', from: '2023-02-07' });
  });

  it('gives Interoperability no members, by default', () => {
    expect(findEntry(registry, 'interoperability').members).toEqual([]);
  });
});

describe('entity type names', () => {
  it.each([
    ['synergy', 'CLUSTER', 'SynergyCluster'],
    ['hmrc', 'DEPARTMENT', 'HmrcDepartment'],
    ['norfolk', 'LOCAL_AUTHORITY', 'NorfolkLocalAuthority'],
    ['interoperability', 'SUPPORTING_PROGRAMME', 'InteroperabilitySupportingProgramme'],
  ] as const)('names %s (%s) %s', (id, kind, name) => {
    expect(entityTypeName({ id, kind })).toBe(name);
  });

  it('names every checked-in organisation from its own entry', () => {
    const names = loadRegistry().organisations.map(entityTypeName);
    expect(names).toEqual([
      'SynergyCluster',
      'MatrixCluster',
      'UnityCluster',
      'DefenceCluster',
      'OverseasCluster',
      'InteroperabilitySupportingProgramme',
      'HmrcDepartment',
      'NorfolkLocalAuthority',
    ]);
  });
});

describe('registry validation', () => {
  it('accepts the small document and fills in the defaults', () => {
    const registry = parseRegistry(document());
    const beta = registry.organisations[1]!;
    expect(beta.members).toEqual([]);
    expect(beta.seed).toEqual({ profile: 'empty' });
  });

  it('names the source in the message', () => {
    const doc = document();
    doc.organisations[1]!.id = 'alpha';
    expect(errorOf(() => parseRegistry(doc, 'my-registry.json'))).toMatch(/^my-registry\.json is not a valid organisation registry:/);
  });

  it('rejects a duplicate id, naming the second entry', () => {
    const doc = document();
    doc.organisations[1]!.id = 'alpha';
    expect(errorOf(() => parseRegistry(doc))).toContain('organisations.1.id: duplicate organisation id "alpha"');
  });

  it.each(['Alpha', 'my-org', '1st', 'with space', ''])('rejects the id %j as not lower-case letters and digits', (id) => {
    const doc = document();
    doc.organisations[0]!.id = id;
    expect(errorOf(() => parseRegistry(doc))).toContain('organisations.0.id: must be lower-case letters and digits, starting with a letter');
  });

  it.each(['directory', 'insights', 'gateway'])('rejects the reserved id %s', (id) => {
    const doc = document();
    doc.organisations[1]!.id = id;
    expect(errorOf(() => parseRegistry(doc))).toContain(`organisations.1.id: "${id}" is reserved for a hub subgraph`);
  });

  it('rejects a subgraph URL that is not a URL', () => {
    const doc = document();
    doc.organisations[1]!.subgraph.url = 'not a url';
    expect(errorOf(() => parseRegistry(doc))).toContain('organisations.1.subgraph.url: Invalid URL');
  });

  it('rejects a directory URL that is not a URL', () => {
    const doc = document();
    doc.directory.url = '127.0.0.1:4001';
    expect(errorOf(() => parseRegistry(doc))).toContain('directory.url: Invalid URL');
  });

  it('rejects a membership date written as words', () => {
    const doc = document();
    doc.organisations[0]!.members![0]!.from = '1 March 2021';
    const message = errorOf(() => parseRegistry(doc));
    expect(message).toContain('organisations.0.members.0.from: must be an ISO date (YYYY-MM-DD)');
    expect(message).not.toContain('real calendar day');
  });

  it('rejects a membership end date with a two-digit year', () => {
    const doc = document();
    (doc.organisations[0]!.members![0] as { to?: string }).to = '23-02-06';
    expect(errorOf(() => parseRegistry(doc))).toContain('organisations.0.members.0.to: must be an ISO date (YYYY-MM-DD)');
  });

  it.each(['2021-13-01', '2021-02-30', '2023-02-29'])('rejects the membership date %s, which is not a real day', (from) => {
    const doc = document();
    doc.organisations[0]!.members![0]!.from = from;
    expect(errorOf(() => parseRegistry(doc))).toContain(`organisations.0.members.0.from: must be a real calendar day`);
  });

  it('accepts 29 February in a leap year as a membership date', () => {
    const doc = document();
    doc.organisations[0]!.members![0]!.from = '2024-02-29';
    expect(parseRegistry(doc).organisations[0]!.members[0]!.from).toBe('2024-02-29');
  });

  it('rejects a department code in lower case', () => {
    const doc = document();
    doc.organisations[0]!.members![0]!.department = 'dwp';
    expect(errorOf(() => parseRegistry(doc))).toContain('organisations.0.members.0.department: must be a department code such as DWP');
  });

  it('rejects an unknown kind, naming the path', () => {
    const doc = document();
    doc.organisations[0]!.kind = 'AGENCY';
    expect(errorOf(() => parseRegistry(doc))).toContain('organisations.0.kind:');
  });

  it('rejects a registry with no organisations', () => {
    expect(errorOf(() => parseRegistry({ directory: { url: 'http://127.0.0.1:4001/graphql' }, insights: { url: 'http://127.0.0.1:4002/graphql' }, organisations: [] }))).toContain('organisations:');
  });

  it('lists every problem, one per line', () => {
    const doc = document();
    doc.organisations[1]!.id = 'alpha';
    doc.organisations[0]!.subgraph.url = 'nope';
    const lines = errorOf(() => parseRegistry(doc)).split('\n');
    expect(lines).toHaveLength(3);
    expect(lines).toContain('  organisations.0.subgraph.url: Invalid URL');
    expect(lines).toContain('  organisations.1.id: duplicate organisation id "alpha"');
  });
});

describe('finding an entry', () => {
  const registry: Registry = parseRegistry(document());

  it('finds an organisation by id', () => {
    expect(findEntry(registry, 'beta').name).toBe('Beta');
  });

  it('names the unknown id and the known ones', () => {
    expect(() => findEntry(registry, 'gamma')).toThrow('organisation "gamma" is not in the registry (known: alpha, beta)');
  });
});
