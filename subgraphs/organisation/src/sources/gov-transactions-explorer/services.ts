import type { ServiceSubmission } from '../../organisation/service.store.ts';
import {
  DEPARTMENTS,
  type DepartmentDefinition,
  departmentByCode,
  departmentId,
} from '../departments.ts';
import type { Repair } from '../source.ts';

// A service as its latest version lists it: its department (the row's Abbr), name, agency or body
// and link, and the departments earlier versions put it under.

/** The latest row of a service, and the departments each version put it under. */
export interface ServiceState {
  slug: string;
  department: DepartmentDefinition;
  /** Abbr as the latest version writes it. */
  written: string;
  row: number;
  file: string;
  line: number;
  name: string;
  agency: string;
  departmentName: string;
  url: string;
  /** Previous dept (MOG, Jun 2016) as the latest version with that column writes it, and the department it names. */
  previous: { written: string; department: DepartmentDefinition } | null;
  /** Department code and version date, one per version listing the service, oldest first. */
  history: { code: string; written: string; date: string }[];
}

const squeeze = (text: string) => text.toUpperCase().replace(/[^A-Z]/g, '');
const BY_NAME = new Map(DEPARTMENTS.map((d) => [squeeze(d.name), d]));
const BY_CODE = new Map(DEPARTMENTS.map((d) => [d.code, d]));

/** Whether `earlier` is `department` or became it through renames and mergers. */
function leadsTo(
  earlier: DepartmentDefinition,
  department: DepartmentDefinition,
  seen = new Set<string>(),
): boolean {
  if (earlier.code === department.code) return true;
  if (seen.has(earlier.code)) return false;
  seen.add(earlier.code);
  return (earlier.successors ?? []).some((code) => {
    const next = BY_CODE.get(code);
    return next !== undefined && leadsTo(next, department, seen);
  });
}

/**
 * Whether an Agency/body cell names the department itself (`Home Office` under Home Office, `Department
 * of Health` under DHSC, `Department for Culture Media and Sport` under DCMS) rather than an agency.
 */
export function isDepartmentItself(
  agency: string,
  state: Pick<ServiceState, 'department' | 'departmentName'>,
): boolean {
  const key = squeeze(agency);
  if (key === '' || key === squeeze(state.departmentName) || key === squeeze(state.department.name))
    return true;
  const named = BY_NAME.get(key) ?? departmentByCode(agency);
  return named !== null && named !== undefined && leadsTo(named, state.department);
}

/** A cell with spaces or line breaks at its ends, trimmed, and the repair that says so. */
function trimmed(
  state: ServiceState,
  field: string,
  value: string,
  why: string,
): { text: string; repair: Repair | null } {
  const text = value.trim();
  if (text === value) return { text, repair: null };
  return {
    text,
    repair: {
      file: state.file,
      line: state.line,
      field,
      value,
      repaired: text,
      rule: `spaces or line breaks at the ends of the ${why} are not part of it: trimmed`,
    },
  };
}

/** The service a state submits, and the repairs its cells needed. */
export function serviceOf(state: ServiceState): { service: ServiceSubmission; repairs: Repair[] } {
  const name = trimmed(state, 'Name of service', state.name, 'service name');
  const agency = trimmed(state, 'Agency/body', state.agency, 'agency or body name');
  const url = trimmed(state, 'URL', state.url, 'link');
  const service: ServiceSubmission = {
    organisation: departmentId(state.department),
    id: state.slug,
    name: name.text,
    department: isDepartmentItself(agency.text, state) ? null : agency.text,
    link: url.text === '' ? null : url.text,
    row: state.row,
  };
  return {
    service,
    repairs: [name.repair, agency.repair, url.repair].filter((r): r is Repair => r !== null),
  };
}

/** Runs of the same department in a service's history: "BIS 2015-06-30 to 2016-07-12, BEIS 2016-11-30 to 2018-09-19". */
export function departmentRuns(history: ServiceState['history']): string {
  const runs: { written: string; code: string; from: string; to: string }[] = [];
  for (const entry of history) {
    const last = runs.at(-1);
    if (last && last.code === entry.code) last.to = entry.date;
    else runs.push({ written: entry.written, code: entry.code, from: entry.date, to: entry.date });
  }
  return runs
    .map(
      (run) =>
        `${run.written} ${run.from === run.to ? `on ${run.from}` : `${run.from} to ${run.to}`}`,
    )
    .join(', ');
}

/** Whether a service moved department: earlier versions list it under another, or its Previous dept names another. */
export function moved(state: ServiceState): boolean {
  return (
    state.history.some((entry) => entry.code !== state.department.code) ||
    (state.previous !== null && state.previous.department.code !== state.department.code)
  );
}
