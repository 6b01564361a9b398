import { userError } from '@crossgov/schema';
import { type Problem, describeProblem } from './indicator/measurement.rules.ts';

/** A broken rule in a submission or an imported file, with the 1-based row it was found in. */
export interface SubmissionProblem extends Problem {
  row: number;
  /** What the row is about, for people reading the message: "indicator 323, period 2019-01". */
  context?: string;
}

/** Problems listed in an error's message; `extensions.problems` lists more. */
const MESSAGE_LIMIT = 50;

/**
 * Problems listed in `extensions.problems`. A 10 MB file of invalid rows once answered with a
 * 247 MB error after 77 s; the first thousand say what is wrong with a file (a systematic fault
 * shows in its first rows), and `extensions.problemCount` says how many there were in all.
 */
export const DEFAULT_MAX_PROBLEMS = 1000;

/**
 * The longest value or context a problem repeats from the file: a row's field may be up to a
 * megabyte long, and a thousand of them must not make a gigabyte of answer.
 */
const MAX_SHOWN = 200;

const clipped = (text: string) =>
  text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}... (${text.length} characters)` : text;

function clip(problem: SubmissionProblem): SubmissionProblem {
  const long =
    (typeof problem.value === 'string' && problem.value.length > MAX_SHOWN) ||
    (problem.context !== undefined && problem.context.length > MAX_SHOWN);
  if (!long) return problem;
  return {
    ...problem,
    ...(typeof problem.value === 'string' && { value: clipped(problem.value) }),
    ...(problem.context !== undefined && { context: clipped(problem.context) }),
  };
}

export interface RefuseOptions {
  /** What a problem's row is called in the message. @default 'row' */
  noun?: string;
  /** Problems listed in `extensions.problems`. @default {@link DEFAULT_MAX_PROBLEMS} */
  maxProblems?: number;
  /**
   * The row reading stopped at, when it stopped at the problem cap before the end of the file:
   * the problems are then the first found, not all there are.
   */
  stoppedAtRow?: number;
}

/**
 * Refuses a whole submission: the message and `extensions.problems` list its broken rules, by row,
 * so a department fixes its file once instead of once per error. Past `maxProblems` the first are
 * listed and `extensions.problemCount` counts them all.
 */
export function refuse(problems: readonly SubmissionProblem[], options: RefuseOptions = {}): never {
  const noun = options.noun ?? 'row';
  const maxProblems = options.maxProblems ?? DEFAULT_MAX_PROBLEMS;
  const ordered = [...problems].sort((a, b) => a.row - b.row);
  const rows = new Set(ordered.map((p) => p.row)).size;
  const listed = ordered.slice(0, maxProblems).map(clip);
  // The message stays readable for a file where every row is wrong; extensions.problems has more.
  const shown = listed
    .slice(0, MESSAGE_LIMIT)
    .map((p) => `${noun} ${p.row}${p.context ? ` (${p.context})` : ''}: ${describeProblem(p)}`);
  const more = ordered.length - shown.length;
  if (ordered.length > maxProblems)
    shown.push(
      `and ${more} more problems (${ordered.length} in all; the first ${maxProblems} are in extensions.problems)`,
    );
  else if (more > 0)
    shown.push(`and ${more} more problems (all of them are in extensions.problems)`);
  const stopped = options.stoppedAtRow;
  if (stopped !== undefined)
    shown.push(
      `reading stopped at ${noun} ${stopped} after ${ordered.length} problems, so later ${noun}s were not checked`,
    );
  const counted =
    stopped !== undefined
      ? `at least ${rows} invalid ${noun}s`
      : `${rows} invalid ${rows === 1 ? noun : `${noun}s`}`;
  throw userError('BAD_USER_INPUT', `${counted}: ${shown.join('; ')}`, {
    problems: listed,
    problemCount: ordered.length,
    ...(stopped !== undefined && { stoppedAtRow: stopped }),
  });
}
