import { DEPARTMENTS, type DepartmentDefinition } from '../departments.ts';

// Following a project across the ten publications. From 2020 every project carries its GMPP ID
// Number, the stable key. Before that only its name: a 2014-2019 project is matched to a later one
// of the same normalised name, within its department's lineage (DECC -> BEIS -> DESNZ) where one
// is, else across departments; one that matches nothing is a programme of its own, keyed by name
// and the department it first appeared under.

/** One project as one publication lists it, already read. */
export interface Appearance {
  year: number;
  /** The GMPP ID (2020 on), in capitals; null before. */
  gmppId: string | null;
  name: string;
  department: DepartmentDefinition;
}

/** How a 2014-2019 appearance was attached to a programme seen in a later publication. */
export interface NameMatch {
  year: number;
  /** The later publication whose name it matched. */
  matchedYear: number;
  /** The departments differ and are not one lineage: the name alone decided. */
  across: boolean;
  from: string;
  to: string;
}

/** One programme: its appearances in publication order and how they were joined. */
export interface Followed<A extends Appearance> {
  id: string;
  /** The GMPP ID as last written, or null for a programme followed by name only. */
  gmppId: string | null;
  appearances: A[];
  byName: NameMatch[];
}

/** The longest programme id made from a name: ids stay short enough to read. */
const MAX_ID = 80;

/** A project name compared across years: lower case, "(formerly ...)" removed, punctuation and spaces collapsed. */
export const normaliseName = (name: string) =>
  name
    .toLowerCase()
    .replace(/\(formerly[^)]*\)/g, ' ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

/** The programme id of a GMPP ID: `gmpp-` and the ID in lower case, each run of other characters a hyphen. */
export const gmppProgrammeId = (gmppId: string) =>
  `gmpp-${gmppId
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')}`;

/** Every department a department became, through each rename, merger and split. */
function lineages(): Map<string, Set<string>> {
  const byCode = new Map(DEPARTMENTS.map((d) => [d.code, d]));
  const result = new Map<string, Set<string>>();
  const of = (code: string, seen: Set<string>): Set<string> => {
    for (const next of byCode.get(code)?.successors ?? []) {
      if (seen.has(next)) continue;
      seen.add(next);
      of(next, seen);
    }
    return seen;
  };
  for (const d of DEPARTMENTS) result.set(d.code, of(d.code, new Set([d.code])));
  return result;
}

const LINEAGE = lineages();

/** Whether one department became the other (or is it). */
const sameLineage = (a: string, b: string) =>
  LINEAGE.get(a)?.has(b) === true || LINEAGE.get(b)?.has(a) === true;

interface Indexed<A extends Appearance> {
  programme: Followed<A>;
  department: string;
  year: number;
}

/**
 * Joins appearances into programmes: by GMPP ID where there is one; else by name to the nearest
 * later publication, preferring the department's own lineage, and never to a programme that the
 * same publication already lists.
 */
export function follow<A extends Appearance>(appearances: readonly A[]): Followed<A>[] {
  const programmes: Followed<A>[] = [];
  const byId = new Map<string, Followed<A>>();
  const index = new Map<string, Indexed<A>[]>();
  const remember = (programme: Followed<A>, a: A) => {
    const key = normaliseName(a.name);
    const list = index.get(key) ?? [];
    list.push({ programme, department: a.department.code, year: a.year });
    index.set(key, list);
  };
  const identified = appearances.filter((a) => a.gmppId !== null).sort((a, b) => a.year - b.year);
  for (const a of identified) {
    const id = gmppProgrammeId(a.gmppId!);
    let programme = byId.get(id);
    if (!programme) {
      programme = { id, gmppId: a.gmppId, appearances: [], byName: [] };
      byId.set(id, programme);
      programmes.push(programme);
    }
    programme.gmppId = a.gmppId;
    programme.appearances.push(a);
    remember(programme, a);
  }
  const named = appearances.filter((a) => a.gmppId === null).sort((a, b) => b.year - a.year);
  for (const a of named) {
    const listed = (index.get(normaliseName(a.name)) ?? []).filter(
      (c) => c.year > a.year && !c.programme.appearances.some((p) => p.year === a.year),
    );
    const nearest = (list: Indexed<A>[]) =>
      list.reduce<Indexed<A> | undefined>(
        (best, c) => (!best || c.year < best.year ? c : best),
        undefined,
      );
    const own = nearest(listed.filter((c) => sameLineage(a.department.code, c.department)));
    const match = own ?? nearest(listed);
    let programme: Followed<A>;
    if (match) {
      programme = match.programme;
      programme.byName.push({
        year: a.year,
        matchedYear: match.year,
        across: !own,
        from: a.department.code,
        to: match.department,
      });
    } else {
      programme = { id: '', gmppId: null, appearances: [], byName: [] };
      programmes.push(programme);
    }
    programme.appearances.unshift(a);
    remember(programme, a);
  }
  nameIds(programmes);
  for (const p of programmes) p.appearances.sort((a, b) => a.year - b.year);
  return programmes;
}

/** Ids of the programmes followed by name only: `gmpp-`, the name's slug and the first department, at most 80 characters. */
function nameIds<A extends Appearance>(programmes: readonly Followed<A>[]): void {
  const taken = new Set(programmes.filter((p) => p.gmppId !== null).map((p) => p.id));
  for (const p of programmes) {
    if (p.gmppId !== null) continue;
    const first = p.appearances.reduce((a, b) => (b.year < a.year ? b : a));
    const suffix = `-${first.department.code.toLowerCase()}`;
    const slug = normaliseName(first.name)
      .replace(/ /g, '-')
      .slice(0, MAX_ID - 'gmpp-'.length - suffix.length)
      .replace(/-+$/, '');
    let id = `gmpp-${slug}${suffix}`;
    for (let n = 2; taken.has(id); n++)
      id = `gmpp-${slug.slice(0, MAX_ID - 'gmpp-'.length - suffix.length - 3).replace(/-+$/, '')}-${n}${suffix}`;
    taken.add(id);
    p.id = id;
  }
}
