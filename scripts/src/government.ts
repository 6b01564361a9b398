import {
  type OrganisationKindName,
  type Registry,
  loadRegistry,
  parseRegistry,
} from '@crossgov/schema';

// Generated governments for the scale tests and the scale benchmark: publishers of one organisation
// (departments running their own subgraph) beside sector bodies publishing for hundreds, shaped like
// the real one. Every generated organisation reports the four GDS KPIs, synthetic and deterministic.

export interface SectorBody {
  id: string;
  name: string;
  typeName: string;
  kind: OrganisationKindName;
  /** How many organisations it publishes for. */
  count: number;
}

export interface GovernmentShape {
  /** Keep the checked-in registry's organisations (today's graph) as well. */
  withRegistry?: boolean;
  /** Departments that each run their own subgraph. */
  singles: number;
  sectors: SectorBody[];
}

/** The real government's shape: ~25 departments publishing for themselves, NHS England for 190 trusts, the Improvement Service for 32 Scottish councils, the Office for Local Government for 150 English councils. */
export const REAL_SHAPE: GovernmentShape = {
  singles: 25,
  sectors: [
    { id: 'nhs-england', name: 'NHS England', typeName: 'NhsTrust', kind: 'NHS_TRUST', count: 190 },
    {
      id: 'improvement-service',
      name: 'Improvement Service',
      typeName: 'ScottishCouncil',
      kind: 'LOCAL_AUTHORITY',
      count: 32,
    },
    {
      id: 'oflog',
      name: 'Office for Local Government',
      typeName: 'EnglishCouncil',
      kind: 'LOCAL_AUTHORITY',
      count: 150,
    },
  ],
};

/** A thousand organisations from about forty publishers: 30 departments of their own and ten sector bodies of 97. */
export const THOUSAND_SHAPE: GovernmentShape = {
  singles: 30,
  sectors: Array.from({ length: 10 }, (_, i) => ({
    id: `sector-${i + 1}`,
    name: `Sector body ${i + 1}`,
    typeName: `SectorOrganisation${i + 1}`,
    kind: 'LOCAL_AUTHORITY' as const,
    count: 97,
  })),
};

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/**
 * A registry of the given shape. Ports count up from `basePort` (each publisher its own); tests that
 * listen on free ports override them.
 */
export function generateGovernment(shape: GovernmentShape, basePort = 5100): Registry {
  const base = loadRegistry();
  let port = basePort;
  const url = () => `http://127.0.0.1:${port++}/graphql`;
  const organisations: Record<string, unknown>[] = [];
  const publishers: Record<string, unknown>[] = [];
  if (shape.withRegistry) {
    for (const org of base.organisations) {
      const publisher = base.publishers.find((p) => p.id === org.publisher)!;
      organisations.push({ ...org, publisher: undefined, subgraph: { url: publisher.url } });
    }
  }
  for (let i = 1; i <= shape.singles; i++) {
    organisations.push({
      id: `dept${pad(i, 3)}`,
      name: `Department ${i}`,
      kind: 'DEPARTMENT',
      subgraph: { url: url() },
      seed: { profile: 'department' },
    });
  }
  for (const sector of shape.sectors) {
    publishers.push({ id: sector.id, name: sector.name, typeName: sector.typeName, url: url() });
    for (let i = 1; i <= sector.count; i++) {
      organisations.push({
        id: `${sector.id}-${pad(i, 3)}`,
        name: `${sector.typeName.replace(/([a-z])([A-Z])/g, '$1 $2')} ${i}`,
        kind: sector.kind,
        publisher: sector.id,
        seed: { profile: 'department' },
      });
    }
  }
  return parseRegistry(
    { directory: base.directory, insights: base.insights, publishers, organisations },
    'generated government',
  );
}
