import { userError } from '@crossgov/schema';
import { type Problem, describeProblem } from './indicator/measurement.rules.ts';

/** A broken rule in a submission or an imported file, with the 1-based row it was found in. */
export interface SubmissionProblem extends Problem {
  row: number;
  /** What the row is about, for people reading the message: "indicator 323, period 2019-01". */
  context?: string;
}

const MESSAGE_LIMIT = 50;

/**
 * Refuses a whole submission: the message and `extensions.problems` list every broken rule of every
 * row, so a department fixes its file once instead of once per error.
 */
export function refuse(problems: readonly SubmissionProblem[], noun = 'row'): never {
  const ordered = [...problems].sort((a, b) => a.row - b.row);
  const rows = new Set(ordered.map((p) => p.row)).size;
  // The message stays readable for a file where every row is wrong; extensions.problems has them all.
  const shown = ordered.slice(0, MESSAGE_LIMIT).map((p) => `${noun} ${p.row}${p.context ? ` (${p.context})` : ''}: ${describeProblem(p)}`);
  if (ordered.length > MESSAGE_LIMIT) shown.push(`and ${ordered.length - MESSAGE_LIMIT} more problems (all of them are in extensions.problems)`);
  const detail = shown.join('; ');
  throw userError('BAD_USER_INPUT', `${rows} invalid ${rows === 1 ? noun : `${noun}s`}: ${detail}`, { problems: ordered });
}
