import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ISO_DAY, isCalendarDay } from './calendar-day.ts';
import {
  OrganisationKind,
  type OrganisationKindName,
  kindTypeSuffix,
} from './organisation-kinds.ts';

/** Where the checked-in registry lives; scripts and tests may load a copy from elsewhere. */
export const DEFAULT_REGISTRY_PATH = fileURLToPath(new URL('../registry.json', import.meta.url));

export const SEED_PROFILES = [
  'cluster',
  'department',
  'norfolk',
  'supporting-programme',
  'empty',
] as const;

// The form and the day checked apart, so that a date written as words is told the form only.
const isoDate = z
  .string()
  .regex(ISO_DAY, 'must be an ISO date (YYYY-MM-DD)')
  .refine((text) => !ISO_DAY.test(text) || isCalendarDay(text), 'must be a real calendar day');

/** Registry ids: lower-case words of letters and digits joined by single hyphens (`synergy`, `nhs-england`, `rj1`). */
export const REGISTRY_ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const ID = REGISTRY_ID;
const ID_RULE =
  'must be lower-case letters and digits in words joined by single hyphens, starting with a letter';

const membershipSchema = z.object({
  department: z.string().regex(/^[A-Z]{2,6}$/, 'must be a department code such as DWP'),
  from: isoDate,
  to: isoDate.optional(),
});

const organisationSchema = z.object({
  id: z.string().regex(ID, ID_RULE),
  name: z.string().min(1),
  kind: z.enum(OrganisationKind),
  lead: z.string().optional(),
  members: z.array(membershipSchema).default([]),
  /** A sector body's publisher that serves this organisation (an id from `publishers`). */
  publisher: z.string().optional(),
  /** This organisation's own subgraph: it is a publisher of one, named after the organisation. */
  subgraph: z.object({ url: z.url() }).optional(),
  seed: z.object({ profile: z.enum(SEED_PROFILES) }).default({ profile: 'empty' }),
  /** Groups it is compared within (LGBF family groups): a league may be asked for one. */
  peerGroups: z.array(z.string().min(1).max(200)).default([]),
  /** What it became through machinery-of-government changes or mergers, and the day each took over. */
  successors: z.array(z.object({ id: z.string().regex(ID, ID_RULE), from: isoDate })).default([]),
  /** What a reader should know about it (a data set with codes only, no names). */
  note: z.string().max(2000).optional(),
  /**
   * The published data sets its figures are imported from (docs/public-data.md): a copy of what its
   * publisher published, so the hub does not chase it for returns of its own.
   */
  dataSets: z.array(z.string().regex(ID, ID_RULE)).default([]),
});

const publisherSchema = z.object({
  id: z.string().regex(ID, ID_RULE),
  name: z.string().min(1),
  /** The entity type of every organisation it serves, e.g. NhsTrust. */
  typeName: z
    .string()
    .regex(/^[A-Z][A-Za-z0-9]*$/, 'must be a GraphQL type name in PascalCase, such as NhsTrust'),
  url: z.url(),
});

const documentSchema = z.object({
  $comment: z.string().optional(),
  directory: z.object({ url: z.url() }),
  insights: z.object({ url: z.url() }),
  publishers: z.array(publisherSchema).default([]),
  organisations: z.array(organisationSchema).min(1),
});

/** The hub's own subgraphs, named in the supergraph as here (and keyed so in the registry); every other subgraph is a publisher. */
export const HUB_SUBGRAPHS = ['directory', 'insights'] as const;
export type HubSubgraph = (typeof HUB_SUBGRAPHS)[number];

/**
 * Names a publisher may not take: the hub's own subgraphs', and the gateway's, whose process, log
 * and database names sit beside theirs (`pnpm start`, the benches).
 */
export const RESERVED_SUBGRAPH_NAMES: ReadonlySet<string> = new Set([...HUB_SUBGRAPHS, 'gateway']);

/** Root fields of the hub itself, which a publisher's root field would collide with. */
const RESERVED_ROOT_FIELDS = new Set([
  'organisations',
  'organisation',
  'government',
  'departments',
  'department',
  'indicatorCatalogue',
  'publishers',
  'publisher',
]);

/** Types every subgraph shares or the directory declares; a publisher's entity type must not take one of these names. */
const RESERVED_TYPE_NAMES = new Set([
  'Organisation',
  'Government',
  'Department',
  'Membership',
  'Publisher',
  'Service',
  'Indicator',
  'Measurement',
  'Target',
  'Programme',
  'Milestone',
  'StandardIndicator',
  'ScorecardEntry',
  'League',
  'Query',
  'Mutation',
]);

export type Membership = z.infer<typeof membershipSchema>;

/** One organisation, as every part of the hub reads it: who it is, and which publisher serves its data. */
export interface RegistryEntry {
  id: string;
  name: string;
  kind: OrganisationKindName;
  lead?: string | undefined;
  members: Membership[];
  /** Id of the publisher (subgraph) that serves this organisation's data. */
  publisher: string;
  seed: { profile: (typeof SEED_PROFILES)[number] };
  peerGroups: string[];
  successors: { id: string; from: string }[];
  note?: string | undefined;
  dataSets: string[];
}

/**
 * A publisher: one subgraph deployment with its own database, serving one organisation (a department
 * or cluster running its own subgraph) or many (a sector body: NHS England for trusts). Its
 * organisations are rows of one entity type (docs/architecture.md, "Publishers").
 */
export interface Publisher {
  /** Subgraph name in the supergraph; also names its database schema. */
  id: string;
  name: string;
  /** The entity type of its organisations: `SynergyCluster` for a publisher of one, a declared name (`NhsTrust`) for a sector body. */
  typeName: string;
  url: string;
  /** Ids of the organisations it serves, in registry order. */
  organisations: string[];
  /**
   * The organisation it was declared for when it is an organisation's own subgraph (its root fields
   * are then that organisation's, with no arguments, as before publishers existed); null for a sector body.
   */
  own: string | null;
}

/** The whole registry: the URL of each hub subgraph (`directory`, `insights`: HUB_SUBGRAPHS), then its publishers and organisations. */
export interface Registry extends Record<HubSubgraph, { url: string }> {
  publishers: Publisher[];
  organisations: RegistryEntry[];
}

const words = (id: string) => id.split('-');
const capitalised = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/** `nhs-england` -> `nhsEngland`: the GraphQL field name of a registry id. */
export const fieldNameOf = (id: string): string =>
  words(id)
    .map((w, i) => (i === 0 ? w : capitalised(w)))
    .join('');

/** `nhs-england` -> `nhs_england`: the PostgreSQL schema name of a registry id. */
export const schemaNameOf = (id: string): string => id.replaceAll('-', '_');

/**
 * The entity type of an organisation that is its own publisher: `synergy` + CLUSTER ->
 * `SynergyCluster`. Federation partitions by type, not by row (docs/architecture.md, "Publishers").
 */
export function entityTypeName(entry: Pick<RegistryEntry, 'id' | 'kind'>): string {
  return words(entry.id).map(capitalised).join('') + kindTypeSuffix(entry.kind);
}

/** The GraphQL root field of a publisher: the organisation's id for its own subgraph, the publisher's for a sector body. */
export const rootFieldOf = (publisher: Publisher): string =>
  fieldNameOf(publisher.own ?? publisher.id);

type Document = z.infer<typeof documentSchema>;

/**
 * The registry every part of the hub reads, built from a document, reporting each rule it breaks
 * through `issue` (the checks run as a refinement, so that they report even when a field of some
 * entry is also wrong; zod skips a transform once any field has failed).
 */
function normalise(
  document: Document,
  issue: (path: (string | number)[], message: string) => void = () => undefined,
): Registry {
  const declared = new Map(document.publishers.map((p) => [p.id, p]));
  const publishers = new Map<string, Publisher>();
  document.publishers.forEach((p, index) => {
    if (publishers.has(p.id))
      issue(['publishers', index, 'id'], `duplicate publisher id "${p.id}"`);
    else
      publishers.set(p.id, {
        id: p.id,
        name: p.name,
        typeName: p.typeName,
        url: p.url,
        organisations: [],
        own: null,
      });
  });
  const seen = new Set<string>();
  const organisations: RegistryEntry[] = document.organisations.map((org, index) => {
    const duplicate = seen.has(org.id);
    if (duplicate) issue(['organisations', index, 'id'], `duplicate organisation id "${org.id}"`);
    seen.add(org.id);
    let publisher = org.publisher;
    if (duplicate) {
      // Said once: a second entry of the same id is not a second publisher.
    } else if (org.subgraph && org.publisher) {
      issue(
        ['organisations', index, 'publisher'],
        'give either subgraph (the organisation runs its own) or publisher (a sector body serves it), not both',
      );
    } else if (org.subgraph) {
      publisher = org.id;
      if (publishers.has(org.id))
        issue(
          ['organisations', index, 'id'],
          `"${org.id}" is already a publisher's id; an organisation with its own subgraph names that subgraph`,
        );
      else
        publishers.set(org.id, {
          id: org.id,
          name: org.name,
          typeName: entityTypeName(org),
          url: org.subgraph.url,
          organisations: [org.id],
          own: org.id,
        });
    } else if (!org.publisher) {
      issue(
        ['organisations', index],
        'needs subgraph (its own subgraph URL) or publisher (the id of the sector body that serves it)',
      );
    } else if (!declared.has(org.publisher)) {
      issue(
        ['organisations', index, 'publisher'],
        `"${org.publisher}" is not in publishers (known: ${[...declared.keys()].join(', ') || 'none'})`,
      );
    } else {
      publishers.get(org.publisher)!.organisations.push(org.id);
    }
    const { subgraph: _subgraph, publisher: _publisher, ...rest } = org;
    return { ...rest, publisher: publisher ?? '' };
  });
  const typeNames = new Map<string, string>();
  const rootFields = new Map<string, string>();
  for (const p of publishers.values()) {
    const where = p.own
      ? ['organisations', document.organisations.findIndex((o) => o.id === p.own), 'id']
      : ['publishers', document.publishers.findIndex((d) => d.id === p.id)];
    if (RESERVED_SUBGRAPH_NAMES.has(p.id)) issue(where, `"${p.id}" is reserved for a hub subgraph`);
    if (p.organisations.length === 0)
      issue(
        where,
        `publisher "${p.id}" serves no organisation; give an organisation "publisher": "${p.id}"`,
      );
    if (RESERVED_TYPE_NAMES.has(p.typeName))
      issue(where, `entity type ${p.typeName} is a name the hub already uses`);
    const otherType = typeNames.get(p.typeName);
    if (otherType) issue(where, `entity type ${p.typeName} is already publisher "${otherType}"'s`);
    typeNames.set(p.typeName, p.id);
    const field = rootFieldOf(p);
    if (RESERVED_ROOT_FIELDS.has(field))
      issue(
        where,
        `its root field "${field}" is one of the hub's own (${[...RESERVED_ROOT_FIELDS].join(', ')})`,
      );
    const otherField = rootFields.get(field);
    if (otherField)
      issue(where, `its root field "${field}" is already publisher "${otherField}"'s`);
    rootFields.set(field, p.id);
  }
  return {
    directory: document.directory,
    insights: document.insights,
    publishers: [...publishers.values()],
    organisations,
  };
}

const registrySchema = documentSchema
  .superRefine(
    (document, ctx) =>
      void normalise(document, (path, message) => ctx.addIssue({ code: 'custom', path, message })),
  )
  .transform((document) => normalise(document));

/** Validates a registry document; the error names the entry and field that is wrong. */
export function parseRegistry(document: unknown, source = 'registry'): Registry {
  const result = registrySchema.safeParse(document);
  if (!result.success) {
    const problems = result.error.issues
      .map((issue) => `  ${issue.path.join('.')}: ${issue.message}`)
      .join('\n');
    throw new Error(`${source} is not a valid organisation registry:\n${problems}`);
  }
  return result.data;
}

export function loadRegistry(path: string = DEFAULT_REGISTRY_PATH): Registry {
  return parseRegistry(JSON.parse(readFileSync(path, 'utf8')), path);
}

export function findEntry(registry: Registry, id: string): RegistryEntry {
  const entry = registry.organisations.find((org) => org.id === id);
  if (!entry) {
    const known = registry.organisations.map((org) => org.id).join(', ');
    throw new Error(`organisation "${id}" is not in the registry (known: ${known})`);
  }
  return entry;
}

export function findPublisher(registry: Registry, id: string): Publisher {
  const publisher = registry.publishers.find((p) => p.id === id);
  if (!publisher)
    throw new Error(
      `publisher "${id}" is not in the registry (known: ${registry.publishers.map((p) => p.id).join(', ')})`,
    );
  return publisher;
}

/** The organisations a publisher serves, as registry entries in registry order. */
export function organisationsOf(
  registry: Registry,
  publisher: Pick<Publisher, 'id'>,
): RegistryEntry[] {
  return registry.organisations.filter((org) => org.publisher === publisher.id);
}

/** Folder of the public data the seeds load (copied from the project's shared data). */
export const SEED_DATA_DIR = fileURLToPath(new URL('../seed-data/', import.meta.url));
