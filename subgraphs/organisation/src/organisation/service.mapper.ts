import type { Service, ServicePhase } from '@crossgov/schema';
import type { ServiceRow } from '../db/schema.ts';

export function toService(row: ServiceRow): Service {
  return {
    id: row.id,
    name: row.name,
    department: row.department,
    phase: row.phase as ServicePhase,
    link: row.link,
  };
}
