import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SOURCES, type SourceOrganisation, type SourceRead } from '@crossgov/organisation/sources';
import { type Registry, loadRegistry, parseRegistry } from '@crossgov/schema';

// The real government (`pnpm start -- --public-data ../shared/data/public`): today's registry (the
// clusters, Norfolk, the supporting programme) beside the organisations of the published data sets,
// each served by the sector body that publishes for it: every department of the GMPP and the
// Transactions Explorer by the Cabinet Office, the NHS providers by NHS England, the Scottish
// councils by the Improvement Service. Every data set is read once here, by its adapter; each
// publisher imports what was read for it on its first start.

export interface PublicGovernment {
  registry: Registry;
  /** What each data set's adapter read, by the publisher that imports it. */
  reads: Map<string, SourceRead[]>;
  /** One line per data set: files, records, what was not taken or repaired, and how long it took. */
  summary: string[];
}

export interface PublicGovernmentOptions {
  today: string;
  /** Port of the first sector body's subgraph; the next ones count up. @default 4111 */
  basePort?: number;
}

/** Reads every published data set under `dir` and builds the registry that serves them; throws naming every record a data set refuses. */
export function readPublicGovernment(
  dir: string,
  options: PublicGovernmentOptions,
): PublicGovernment {
  const base = loadRegistry();
  const reads = new Map<string, SourceRead[]>();
  const publishers = new Map<string, { id: string; name: string; typeName: string }>();
  const organisations = new Map<
    string,
    SourceOrganisation & { publisher: string; dataSets: string[] }
  >();
  const summary: string[] = [];
  for (const source of Object.values(SOURCES)) {
    const started = performance.now();
    const folder = join(dir, source.id);
    const names = source.files(folder);
    const files = names.map((name) => ({ name, bytes: readFileSync(join(folder, name)) }));
    const read = source.read(files, { today: options.today });
    if (read.batch.problems.length > 0) {
      const shown = read.batch.problems
        .slice(0, 20)
        .map(
          (p) =>
            `  ${read.origins.locate(p).context}: ${p.field} ${JSON.stringify(p.value)} ${p.rule}`,
        );
      throw new Error(
        `${source.id}: ${read.batch.problems.length} records break a rule, so nothing of it is loaded:\n${shown.join('\n')}`,
      );
    }
    publishers.set(source.publisher.id, source.publisher);
    reads.set(source.publisher.id, [...(reads.get(source.publisher.id) ?? []), read]);
    for (const org of read.organisations) {
      const known = organisations.get(org.id);
      if (known && known.publisher !== source.publisher.id)
        throw new Error(`${source.id}: organisation ${org.id} is already ${known.publisher}'s`);
      organisations.set(org.id, {
        ...org,
        ...known,
        peerGroups: [...new Set([...(known?.peerGroups ?? []), ...(org.peerGroups ?? [])])],
        successors: known?.successors?.length ? known.successors : (org.successors ?? []),
        publisher: source.publisher.id,
        dataSets: [...(known?.dataSets ?? []), source.id],
      });
    }
    const b = read.batch;
    const records =
      b.measurements.length +
      (b.programmes?.length ?? 0) +
      b.confidenceAssessments.length +
      b.milestoneReturns.length +
      (b.programmeReturns?.length ?? 0);
    summary.push(
      `${source.id}: ${files.length} files, ${read.organisations.length} organisations, ${records} records; ${read.notTaken.length} cells not taken, ${read.repairs.length} repairs (read in ${Math.round(performance.now() - started)} ms)`,
    );
  }
  // An organisation of today's registry that a data set also publishes (HMRC, a department of its
  // own with generated figures) is served as published instead.
  const kept = base.organisations.filter((org) => !organisations.has(org.id));
  let port = options.basePort ?? 4111;
  const document = {
    directory: base.directory,
    insights: base.insights,
    publishers: [...publishers.values()].map((p) => ({
      ...p,
      url: `http://127.0.0.1:${port++}/graphql`,
    })),
    organisations: [
      ...kept.map((org) => {
        const publisher = base.publishers.find((p) => p.id === org.publisher)!;
        const { publisher: _publisher, ...rest } = org;
        return publisher.own
          ? { ...rest, subgraph: { url: publisher.url } }
          : { ...rest, publisher: publisher.id };
      }),
      ...[...organisations.values()].map((org) => ({
        id: org.id,
        name: org.name,
        kind: org.kind,
        publisher: org.publisher,
        peerGroups: org.peerGroups ?? [],
        successors: (org.successors ?? []).filter((s) => organisations.has(s.id)),
        dataSets: org.dataSets,
        ...(org.note && { note: org.note }),
      })),
    ],
  };
  return {
    registry: parseRegistry(document, `the registry of the published data sets in ${dir}`),
    reads,
    summary,
  };
}
