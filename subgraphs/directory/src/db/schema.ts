import { boolean, date, index, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';

// Who exists: the directory's own tables. Publisher and organisation rows mirror the registry at start-up.

export const publishers = pgTable('publishers', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  /** The entity type of every organisation it serves. */
  typeName: text('type_name').notNull(),
  /** The organisation whose own subgraph it is; null for a sector body serving many. */
  own: text('own'),
});

export const organisations = pgTable('organisations', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  kind: text('kind').notNull(),
  typeName: text('type_name').notNull(),
  lead: text('lead'),
  publisherId: text('publisher_id').references(() => publishers.id),
  /** Groups it is compared within (LGBF family groups). */
  peerGroups: text('peer_groups').array().notNull().default([]),
  /** What it became, and the day each took over: [{ id, from }] (machinery-of-government changes, mergers). */
  successors: jsonb('successors').$type<{ id: string; from: string }[]>().notNull().default([]),
  note: text('note'),
});

export const departments = pgTable('departments', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
});

export const memberships = pgTable(
  'memberships',
  {
    organisationId: text('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    departmentCode: text('department_code')
      .notNull()
      .references(() => departments.code),
    fromDate: date('from_date', { mode: 'string' }).notNull(),
    toDate: date('to_date', { mode: 'string' }),
  },
  (t) => [
    primaryKey({ columns: [t.organisationId, t.departmentCode, t.fromDate] }),
    index('memberships_department').on(t.departmentCode),
  ],
);

export const standardIndicators = pgTable('standard_indicators', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  unit: text('unit').notNull(),
  polarity: text('polarity').notNull(),
  frequency: text('frequency').notNull(),
  definition: text('definition').notNull(),
  numerator: text('numerator'),
  denominator: text('denominator'),
  family: text('family').notNull(),
  comparableAcrossServices: boolean('comparable_across_services').notNull().default(true),
  source: text('source').notNull(),
});

export type PublisherRow = typeof publishers.$inferSelect;
export type OrganisationRow = typeof organisations.$inferSelect;
export type DepartmentRow = typeof departments.$inferSelect;
export type MembershipRow = typeof memberships.$inferSelect;
export type StandardIndicatorRow = typeof standardIndicators.$inferSelect;
