import { describe, expect, it } from 'vitest';
import {
  type Registry,
  entityTypeName,
  fieldNameOf,
  findEntry,
  findPublisher,
  loadRegistry,
  organisationsOf,
  parseRegistry,
  rootFieldOf,
  schemaNameOf,
} from './registry.ts';

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

/** A sector body, NHS England, publishing for two trusts, beside an organisation with its own subgraph. */
function sectorDocument() {
  return {
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
      {
        id: 'alpha',
        name: 'Alpha',
        kind: 'CLUSTER',
        subgraph: { url: 'http://127.0.0.1:4101/graphql' },
      } as Record<string, unknown>,
      {
        id: 'rj1',
        name: "Guy's and St Thomas'",
        kind: 'NHS_TRUST',
        publisher: 'nhs-england',
      } as Record<string, unknown>,
      {
        id: 'rgt',
        name: 'Cambridge University Hospitals',
        kind: 'NHS_TRUST',
        publisher: 'nhs-england',
      } as Record<string, unknown>,
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
    expect(registry.organisations.map((org) => org.id)).toEqual([
      'synergy',
      'matrix',
      'unity',
      'defence',
      'overseas',
      'interoperability',
      'hmrc',
      'norfolk',
    ]);
  });

  it('gives each organisation its own subgraph URL', () => {
    const urls = registry.organisations.map((org) => findPublisher(registry, org.publisher).url);
    expect(new Set(urls).size).toBe(8);
  });

  it('makes each organisation a publisher of one, on the subgraph URL it had before publishers', () => {
    expect(registry.publishers.map((p) => [p.id, p.url, p.organisations, p.own])).toEqual([
      ['synergy', 'http://127.0.0.1:4101/graphql', ['synergy'], 'synergy'],
      ['matrix', 'http://127.0.0.1:4102/graphql', ['matrix'], 'matrix'],
      ['unity', 'http://127.0.0.1:4103/graphql', ['unity'], 'unity'],
      ['defence', 'http://127.0.0.1:4104/graphql', ['defence'], 'defence'],
      ['overseas', 'http://127.0.0.1:4105/graphql', ['overseas'], 'overseas'],
      [
        'interoperability',
        'http://127.0.0.1:4106/graphql',
        ['interoperability'],
        'interoperability',
      ],
      ['hmrc', 'http://127.0.0.1:4107/graphql', ['hmrc'], 'hmrc'],
      ['norfolk', 'http://127.0.0.1:4108/graphql', ['norfolk'], 'norfolk'],
    ]);
    expect(registry.organisations.every((org) => org.publisher === org.id)).toBe(true);
  });

  it("keeps each organisation's own root field and entity type", () => {
    const synergy = findPublisher(registry, 'synergy');
    expect(synergy).toMatchObject({ name: 'Synergy', typeName: 'SynergyCluster' });
    expect(rootFieldOf(synergy)).toBe('synergy');
    expect(organisationsOf(registry, synergy)).toEqual([findEntry(registry, 'synergy')]);
  });

  it('records the BEIS split of 7 February 2023 in Matrix', () => {
    const matrix = findEntry(registry, 'matrix');
    expect(matrix.members).toContainEqual({
      department: 'BEIS',
      from: '2021-03-01',
      to: '2023-02-06',
    });
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

  it.each([
    ['rj1', 'NHS_TRUST', 'Rj1NhsTrust'],
    ['my-org', 'DEPARTMENT', 'MyOrgDepartment'],
    ['nhs-england', 'SUPPORTING_PROGRAMME', 'NhsEnglandSupportingProgramme'],
  ] as const)('names the kebab or trust id %s (%s) %s', (id, kind, name) => {
    expect(entityTypeName({ id, kind })).toBe(name);
  });

  it("names every checked-in publisher's entity type after its organisation", () => {
    const registry = loadRegistry();
    expect(registry.publishers.map((p) => p.typeName)).toEqual(
      registry.organisations.map(entityTypeName),
    );
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
    expect(errorOf(() => parseRegistry(doc, 'my-registry.json'))).toMatch(
      /^my-registry\.json is not a valid organisation registry:/,
    );
  });

  it('rejects a duplicate id, naming the second entry', () => {
    const doc = document();
    doc.organisations[1]!.id = 'alpha';
    expect(errorOf(() => parseRegistry(doc))).toContain(
      'organisations.1.id: duplicate organisation id "alpha"',
    );
  });

  it.each([
    'Alpha',
    '1st',
    'with space',
    '',
    'nhs--england',
    '-nhs',
    'nhs-',
    'nhs_england',
    'nhs-England',
  ])(
    'rejects the id %j as not lower-case letters and digits in words joined by single hyphens',
    (id) => {
      const doc = document();
      doc.organisations[0]!.id = id;
      expect(errorOf(() => parseRegistry(doc))).toContain(
        'organisations.0.id: must be lower-case letters and digits in words joined by single hyphens, starting with a letter',
      );
    },
  );

  it.each(['my-org', 'nhs-england', 'rj1', 'a-1b'])('accepts the id %j', (id) => {
    const doc = document();
    doc.organisations[0]!.id = id;
    const registry = parseRegistry(doc);
    expect(findEntry(registry, id).publisher).toBe(id);
    expect(findPublisher(registry, id).own).toBe(id);
  });

  it('rejects a declared publisher id that is not lower-case words joined by hyphens', () => {
    const doc = sectorDocument();
    doc.publishers[0]!.id = 'NHS England';
    expect(errorOf(() => parseRegistry(doc))).toContain(
      'publishers.0.id: must be lower-case letters and digits in words joined by single hyphens, starting with a letter',
    );
  });

  it.each(['directory', 'insights', 'gateway'])('rejects the reserved id %s', (id) => {
    const doc = document();
    doc.organisations[1]!.id = id;
    expect(errorOf(() => parseRegistry(doc))).toContain(
      `organisations.1.id: "${id}" is reserved for a hub subgraph`,
    );
  });

  it('rejects the reserved id gateway for a declared publisher', () => {
    const doc = sectorDocument();
    doc.publishers[0]!.id = 'gateway';
    doc.organisations[1]!.publisher = 'gateway';
    doc.organisations[2]!.publisher = 'gateway';
    expect(errorOf(() => parseRegistry(doc))).toContain(
      'publishers.0: "gateway" is reserved for a hub subgraph',
    );
  });

  it('rejects a subgraph URL that is not a URL', () => {
    const doc = document();
    doc.organisations[1]!.subgraph.url = 'not a url';
    expect(errorOf(() => parseRegistry(doc))).toContain(
      'organisations.1.subgraph.url: Invalid URL',
    );
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
    expect(errorOf(() => parseRegistry(doc))).toContain(
      'organisations.0.members.0.to: must be an ISO date (YYYY-MM-DD)',
    );
  });

  it.each(['2021-13-01', '2021-02-30', '2023-02-29'])(
    'rejects the membership date %s, which is not a real day',
    (from) => {
      const doc = document();
      doc.organisations[0]!.members![0]!.from = from;
      expect(errorOf(() => parseRegistry(doc))).toContain(
        `organisations.0.members.0.from: must be a real calendar day`,
      );
    },
  );

  it('accepts 29 February in a leap year as a membership date', () => {
    const doc = document();
    doc.organisations[0]!.members![0]!.from = '2024-02-29';
    expect(parseRegistry(doc).organisations[0]!.members[0]!.from).toBe('2024-02-29');
  });

  it('rejects a department code in lower case', () => {
    const doc = document();
    doc.organisations[0]!.members![0]!.department = 'dwp';
    expect(errorOf(() => parseRegistry(doc))).toContain(
      'organisations.0.members.0.department: must be a department code such as DWP',
    );
  });

  it('rejects an unknown kind, naming the path', () => {
    const doc = document();
    doc.organisations[0]!.kind = 'AGENCY';
    expect(errorOf(() => parseRegistry(doc))).toContain('organisations.0.kind:');
  });

  it('rejects a registry with no organisations', () => {
    expect(
      errorOf(() =>
        parseRegistry({
          directory: { url: 'http://127.0.0.1:4001/graphql' },
          insights: { url: 'http://127.0.0.1:4002/graphql' },
          organisations: [],
        }),
      ),
    ).toContain('organisations:');
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

describe('publishers', () => {
  it('makes an organisation with its own subgraph a publisher of one, named and typed after it', () => {
    const registry = parseRegistry(document());
    expect(registry.publishers).toEqual([
      {
        id: 'alpha',
        name: 'Alpha',
        typeName: 'AlphaCluster',
        url: 'http://127.0.0.1:4101/graphql',
        organisations: ['alpha'],
        own: 'alpha',
      },
      {
        id: 'beta',
        name: 'Beta',
        typeName: 'BetaDepartment',
        url: 'http://127.0.0.1:4102/graphql',
        organisations: ['beta'],
        own: 'beta',
      },
    ]);
    expect(findEntry(registry, 'alpha').publisher).toBe('alpha');
    expect(findEntry(registry, 'alpha')).not.toHaveProperty('subgraph');
  });

  it('lets a declared publisher serve several organisations, in registry order', () => {
    const registry = parseRegistry(sectorDocument());
    const nhs = findPublisher(registry, 'nhs-england');
    expect(nhs).toEqual({
      id: 'nhs-england',
      name: 'NHS England',
      typeName: 'NhsTrust',
      url: 'http://127.0.0.1:4201/graphql',
      organisations: ['rj1', 'rgt'],
      own: null,
    });
    expect(organisationsOf(registry, nhs).map((org) => org.id)).toEqual(['rj1', 'rgt']);
    expect(findEntry(registry, 'rj1')).toMatchObject({
      kind: 'NHS_TRUST',
      publisher: 'nhs-england',
      members: [],
      seed: { profile: 'empty' },
    });
    expect(findEntry(registry, 'rj1')).not.toHaveProperty('subgraph');
    expect(registry.publishers.map((p) => p.id)).toEqual(['nhs-england', 'alpha']);
    expect(
      organisationsOf(registry, findPublisher(registry, 'alpha')).map((org) => org.id),
    ).toEqual(['alpha']);
  });

  it("gives a sector body the root field of its id, and an organisation's own subgraph the organisation's", () => {
    const registry = parseRegistry(sectorDocument());
    expect(rootFieldOf(findPublisher(registry, 'nhs-england'))).toBe('nhsEngland');
    expect(rootFieldOf(findPublisher(registry, 'alpha'))).toBe('alpha');
  });

  it('names a kebab id in GraphQL in camelCase and in PostgreSQL with underscores', () => {
    expect(fieldNameOf('nhs-england')).toBe('nhsEngland');
    expect(fieldNameOf('north-east-and-yorkshire')).toBe('northEastAndYorkshire');
    expect(fieldNameOf('rj1')).toBe('rj1');
    expect(schemaNameOf('nhs-england')).toBe('nhs_england');
    expect(schemaNameOf('rj1')).toBe('rj1');
  });

  it('refuses an organisation naming a publisher that is not declared, naming the known ones', () => {
    const doc = sectorDocument();
    doc.organisations[2]!.publisher = 'nhs-wales';
    expect(errorOf(() => parseRegistry(doc))).toContain(
      'organisations.2.publisher: "nhs-wales" is not in publishers (known: nhs-england)',
    );
  });

  it('says there are no known publishers when none is declared', () => {
    const doc = document();
    delete (doc.organisations[1] as { subgraph?: unknown }).subgraph;
    (doc.organisations[1] as { publisher?: string }).publisher = 'nhs-england';
    expect(errorOf(() => parseRegistry(doc))).toContain(
      'organisations.1.publisher: "nhs-england" is not in publishers (known: none)',
    );
  });

  it('refuses an organisation with both its own subgraph and a publisher', () => {
    const doc = sectorDocument();
    doc.organisations[1]!.subgraph = { url: 'http://127.0.0.1:4109/graphql' };
    expect(errorOf(() => parseRegistry(doc))).toContain(
      'organisations.1.publisher: give either subgraph (the organisation runs its own) or publisher (a sector body serves it), not both',
    );
  });

  it('refuses an organisation with neither its own subgraph nor a publisher', () => {
    const doc = sectorDocument();
    delete doc.organisations[0]!.subgraph;
    expect(errorOf(() => parseRegistry(doc))).toContain(
      'organisations.0: needs subgraph (its own subgraph URL) or publisher (the id of the sector body that serves it)',
    );
  });

  it('refuses a declared publisher that serves no organisation', () => {
    const doc = sectorDocument();
    doc.organisations = doc.organisations.slice(0, 1);
    expect(errorOf(() => parseRegistry(doc))).toContain(
      'publishers.0: publisher "nhs-england" serves no organisation; give an organisation "publisher": "nhs-england"',
    );
  });

  it('refuses a duplicate publisher id', () => {
    const doc = sectorDocument();
    doc.publishers.push({ ...doc.publishers[0]!, typeName: 'NhsFoundationTrust' });
    expect(errorOf(() => parseRegistry(doc))).toContain(
      'publishers.1.id: duplicate publisher id "nhs-england"',
    );
  });

  it("refuses an organisation's own subgraph taking a declared publisher's id", () => {
    const doc = sectorDocument();
    doc.organisations[0]!.id = 'nhs-england';
    expect(errorOf(() => parseRegistry(doc))).toContain(
      `organisations.0.id: "nhs-england" is already a publisher's id; an organisation with its own subgraph names that subgraph`,
    );
  });

  it('refuses two publishers with one entity type, naming the first', () => {
    const doc = sectorDocument();
    doc.publishers.push({
      id: 'nhs-wales',
      name: 'NHS Wales',
      typeName: 'NhsTrust',
      url: 'http://127.0.0.1:4202/graphql',
    });
    doc.organisations.push({
      id: 'rqm',
      name: 'Chelsea and Westminster',
      kind: 'NHS_TRUST',
      publisher: 'nhs-wales',
    });
    expect(errorOf(() => parseRegistry(doc))).toContain(
      `publishers.1: entity type NhsTrust is already publisher "nhs-england"'s`,
    );
  });

  it("refuses a declared entity type that an organisation's own subgraph already has", () => {
    const doc = sectorDocument();
    doc.publishers[0]!.typeName = 'AlphaCluster';
    expect(errorOf(() => parseRegistry(doc))).toContain(
      `organisations.0.id: entity type AlphaCluster is already publisher "nhs-england"'s`,
    );
  });

  it.each(['Indicator', 'Organisation', 'Query'])(
    'refuses the entity type %s, which the hub already uses',
    (typeName) => {
      const doc = sectorDocument();
      doc.publishers[0]!.typeName = typeName;
      expect(errorOf(() => parseRegistry(doc))).toContain(
        `publishers.0: entity type ${typeName} is a name the hub already uses`,
      );
    },
  );

  it('refuses an entity type that is not a PascalCase GraphQL name', () => {
    const doc = sectorDocument();
    doc.publishers[0]!.typeName = 'nhs_trust';
    expect(errorOf(() => parseRegistry(doc))).toContain(
      'publishers.0.typeName: must be a GraphQL type name in PascalCase, such as NhsTrust',
    );
  });

  it("refuses an organisation whose root field would be one of the hub's own", () => {
    const doc = document();
    doc.organisations[1]!.id = 'organisations';
    expect(errorOf(() => parseRegistry(doc))).toContain(
      'organisations.1.id: its root field "organisations" is one of the hub\'s own (organisations, ',
    );
  });

  it("refuses a publisher whose root field would be one of the hub's own", () => {
    const doc = sectorDocument();
    doc.publishers[0]!.id = 'government';
    doc.organisations[1]!.publisher = 'government';
    doc.organisations[2]!.publisher = 'government';
    expect(errorOf(() => parseRegistry(doc))).toContain(
      'publishers.0: its root field "government" is one of the hub\'s own (',
    );
  });

  it('refuses a root field in camelCase that another publisher already has', () => {
    // Both nhs-1 and nhs1 would be the root field nhs1.
    const doc = sectorDocument();
    doc.publishers[0]!.id = 'nhs-1';
    doc.organisations[1]!.publisher = 'nhs-1';
    doc.organisations[2]!.publisher = 'nhs-1';
    doc.organisations[0]!.id = 'nhs1';
    expect(errorOf(() => parseRegistry(doc))).toContain(
      `organisations.0.id: its root field "nhs1" is already publisher "nhs-1"'s`,
    );
  });

  it('names the unknown publisher and the known ones', () => {
    expect(() => findPublisher(parseRegistry(sectorDocument()), 'nhs-wales')).toThrow(
      'publisher "nhs-wales" is not in the registry (known: nhs-england, alpha)',
    );
  });
});

describe('finding an entry', () => {
  const registry: Registry = parseRegistry(document());

  it('finds an organisation by id', () => {
    expect(findEntry(registry, 'beta').name).toBe('Beta');
  });

  it('names the unknown id and the known ones', () => {
    expect(() => findEntry(registry, 'gamma')).toThrow(
      'organisation "gamma" is not in the registry (known: alpha, beta)',
    );
  });
});
