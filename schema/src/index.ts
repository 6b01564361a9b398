// The contracts of Crossgov (package.json "exports" "."): the registry, the GraphQL types every
// subgraph shares, the catalogue, errors, periods, units and dates. Importing them loads GraphQL and
// type-graphql, never a web server, the JWT library or signal handling (contracts.test.ts checks):
// a script reading an enum, or a rule's unit test, pays for what it uses. The rest has its own entry:
// "@crossgov/schema/server" (HTTP, admission, limits, observability, the subgraph skeleton),
// "./auth" (tokens), "./env" (configuration), "./compose" (composition), "./db", "./embedded-postgres".
import 'reflect-metadata';

export * from './registry.ts';
export * from './organisation-kinds.ts';
export * from './calendar-day.ts';
export * from './catalogue.ts';
export * from './errors.ts';
export * from './parsed-or-bad-input.ts';
export * from './federation.ts';
export * from './periods.ts';
export * from './units.ts';
export * from './dates.ts';
export * from './batch.ts';
export * from './types/enums.ts';
export * from './types/dated.type.ts';
export * from './types/service.type.ts';
export * from './types/measurement.type.ts';
export * from './types/indicator.type.ts';
export * from './types/programme.type.ts';
export * from './types/scorecard.type.ts';
export * from './types/figures.type.ts';
export * from './types/fact.type.ts';
export * from './types/progress.type.ts';
export * from './types/organisation-summary.type.ts';
