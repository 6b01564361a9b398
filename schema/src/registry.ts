import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** Where the checked-in registry lives; scripts and tests may load a copy from elsewhere. */
export const DEFAULT_REGISTRY_PATH = fileURLToPath(new URL('../registry.json', import.meta.url));

export const ORGANISATION_KINDS = ['CLUSTER', 'DEPARTMENT', 'LOCAL_AUTHORITY', 'SUPPORTING_PROGRAMME'] as const;
export type OrganisationKindName = (typeof ORGANISATION_KINDS)[number];

export const SEED_PROFILES = ['cluster', 'department', 'norfolk', 'supporting-programme', 'empty'] as const;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

// The pattern alone lets 2021-13-45 through, which then fails only when the directory stores it.
const isRealDay = (text: string): boolean => {
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
};

const isoDate = z
  .string()
  .regex(ISO_DATE, 'must be an ISO date (YYYY-MM-DD)')
  .refine((text) => !ISO_DATE.test(text) || isRealDay(text), 'must be a real calendar day');

const membershipSchema = z.object({
  department: z.string().regex(/^[A-Z]{2,6}$/, 'must be a department code such as DWP'),
  from: isoDate,
  to: isoDate.optional(),
});

const organisationSchema = z.object({
  id: z
    .string()
    .regex(/^[a-z][a-z0-9]*$/, 'must be lower-case letters and digits, starting with a letter (it names the subgraph and the entity type)'),
  name: z.string().min(1),
  kind: z.enum(ORGANISATION_KINDS),
  lead: z.string().optional(),
  members: z.array(membershipSchema).default([]),
  subgraph: z.object({ url: z.url() }),
  seed: z.object({ profile: z.enum(SEED_PROFILES) }).default({ profile: 'empty' }),
});

const registrySchema = z
  .object({
    directory: z.object({ url: z.url() }),
    insights: z.object({ url: z.url() }),
    organisations: z.array(organisationSchema).min(1),
  })
  .superRefine((registry, ctx) => {
    const seen = new Set<string>();
    registry.organisations.forEach((org, index) => {
      if (seen.has(org.id)) {
        ctx.addIssue({ code: 'custom', path: ['organisations', index, 'id'], message: `duplicate organisation id "${org.id}"` });
      }
      seen.add(org.id);
      if (RESERVED_SUBGRAPH_NAMES.has(org.id)) {
        ctx.addIssue({ code: 'custom', path: ['organisations', index, 'id'], message: `"${org.id}" is reserved for a hub subgraph` });
      }
    });
  });

const RESERVED_SUBGRAPH_NAMES = new Set(['directory', 'insights', 'gateway']);

export type Registry = z.infer<typeof registrySchema>;
export type RegistryEntry = z.infer<typeof organisationSchema>;
export type Membership = z.infer<typeof membershipSchema>;

/** Validates a registry document; the error names the entry and field that is wrong. */
export function parseRegistry(document: unknown, source = 'registry'): Registry {
  const result = registrySchema.safeParse(document);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`).join('\n');
    throw new Error(`${source} is not a valid organisation registry:\n${problems}`);
  }
  return result.data;
}

export function loadRegistry(path: string = DEFAULT_REGISTRY_PATH): Registry {
  return parseRegistry(JSON.parse(readFileSync(path, 'utf8')), path);
}

const KIND_SUFFIX: Record<OrganisationKindName, string> = {
  CLUSTER: 'Cluster',
  DEPARTMENT: 'Department',
  LOCAL_AUTHORITY: 'LocalAuthority',
  SUPPORTING_PROGRAMME: 'SupportingProgramme',
};

/**
 * The GraphQL entity type of an organisation: federation partitions by type, not by row, so each
 * organisation owns a type of its own (ARCHITECTURE section 2). `synergy` + CLUSTER -> `SynergyCluster`.
 */
export function entityTypeName(entry: Pick<RegistryEntry, 'id' | 'kind'>): string {
  return entry.id.charAt(0).toUpperCase() + entry.id.slice(1) + KIND_SUFFIX[entry.kind];
}

export function findEntry(registry: Registry, id: string): RegistryEntry {
  const entry = registry.organisations.find((org) => org.id === id);
  if (!entry) {
    const known = registry.organisations.map((org) => org.id).join(', ');
    throw new Error(`organisation "${id}" is not in the registry (known: ${known})`);
  }
  return entry;
}

/** Folder of the public data the seeds load (copied from the project's shared data). */
export const SEED_DATA_DIR = fileURLToPath(new URL('../seed-data/', import.meta.url));
