import { parseArgs } from 'node:util';

// Every command a user runs (pnpm start, compose, token, import, db:generate and the benchmarks)
// reads its arguments here, with node:util's parseArgs in strict mode, so that each has --help,
// names a wrong option and prints the same kind of usage. This file imports nothing else: an entry
// point reads its arguments before it loads the graph, so --help and a typo answer at once.

/** How a user runs a root script on a machine with Node and npm only (README). */
export const PNPM = 'npx -y pnpm@9';

export interface CliOption {
  type: 'string' | 'boolean';
  /** What it does, for the usage: a phrase. */
  description: string;
  /** For a string option; a boolean's is false. */
  default?: string;
  /** How the usage names its value. @default '<value>' */
  value?: string;
  /** Left out of the usage: an option a command passes to its own child processes. */
  internal?: boolean;
}

export interface CliCommand<O extends Record<string, CliOption> = Record<string, CliOption>> {
  /** How a user runs it, e.g. `npx -y pnpm@9 start`. */
  name: string;
  /** The positional arguments as the usage shows them (e.g. `<organisation> <file>`); none taken without. */
  positionals?: string;
  /** What it does, in a few sentences. */
  description: string;
  options: O;
  /** Whole command lines, each as a user types it. */
  examples: readonly string[];
  /** A line or two after the examples: environment variables, exit status. */
  notes?: string;
}

/** A command's definition, its options' types kept for the values `readCommand` returns. */
export const defineCommand = <const O extends Record<string, CliOption>>(
  command: CliCommand<O>,
): CliCommand<O> => command;

/** The parsed options: a boolean is always there; a string is there when given or defaulted. */
export type CliValues<O extends Record<string, CliOption>> = {
  [K in keyof O]: O[K]['type'] extends 'boolean'
    ? boolean
    : O[K] extends { default: string }
      ? string
      : string | undefined;
};

export interface ParsedCommand<O extends Record<string, CliOption>> {
  values: CliValues<O>;
  positionals: string[];
}

/** A command line the command cannot take; the message names what is wrong. */
export class UsageError extends Error {
  override name = 'UsageError';
}

const HELP: CliOption = { type: 'boolean', description: 'print this help and exit' };

/** The usage text: what the command does, each option with its default, and examples. */
export function usage(command: CliCommand): string {
  const options = Object.entries({ ...command.options, help: HELP }).filter(([, o]) => !o.internal);
  const left = options.map(
    ([name, o]) =>
      `${name === 'help' ? '-h, ' : ''}--${name}${o.type === 'string' ? ` ${o.value ?? '<value>'}` : ''}`,
  );
  const width = Math.max(...left.map((l) => l.length));
  const lines = options.map(
    ([, o], i) =>
      `  ${left[i]!.padEnd(width)}  ${o.description}${o.default !== undefined ? ` (default: ${o.default})` : ''}`,
  );
  return [
    `Usage: ${command.name}${command.positionals ? ` ${command.positionals}` : ''} [options]`,
    '',
    command.description,
    '',
    'Options:',
    ...lines,
    '',
    'Examples:',
    ...command.examples.map((e) => `  ${e}`),
    ...(command.notes ? ['', command.notes] : []),
    '',
  ].join('\n');
}

/**
 * Reads a command line. Returns 'help' for --help or -h; throws a UsageError naming a wrong option,
 * a missing value or an argument the command does not take. A literal `--`, which pnpm passes
 * through to the script, is dropped.
 */
export function parseCommand<const O extends Record<string, CliOption>>(
  command: CliCommand<O>,
  args: string[],
): ParsedCommand<O> | 'help' {
  const config: Record<
    string,
    { type: 'string' | 'boolean'; default?: string | boolean; short?: string }
  > = { help: { type: 'boolean', short: 'h' } };
  for (const [name, o] of Object.entries(command.options))
    config[name] = { type: o.type, default: o.type === 'boolean' ? false : o.default };
  let parsed;
  try {
    parsed = parseArgs({
      args: args.filter((arg) => arg !== '--'),
      options: config,
      strict: true,
      allowPositionals: command.positionals !== undefined,
    });
  } catch (error) {
    throw new UsageError(usageMessage(error as Error & { code?: string }));
  }
  if (parsed.values.help) return 'help';
  const { help: _help, ...values } = parsed.values;
  return { values: values as CliValues<O>, positionals: parsed.positionals };
}

/** parseArgs's message, said plainly: its hint about `--` is for positionals, which these commands rarely take. */
function usageMessage(error: Error & { code?: string }): string {
  const named = /'([^']+)'/.exec(error.message)?.[1];
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && named) return `unknown option ${named}`;
  if (error.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL' && named)
    return `unexpected argument ${JSON.stringify(named)}: this command takes options only`;
  return error.message;
}

/**
 * An entry point's arguments: --help prints the usage on stdout and exits 0; a wrong command line
 * prints what is wrong and the usage on stderr and exits 2 (the status every command gives a usage
 * error).
 */
export function readCommand<const O extends Record<string, CliOption>>(
  command: CliCommand<O>,
  args: string[] = process.argv.slice(2),
): ParsedCommand<O> {
  let parsed: ParsedCommand<O> | 'help';
  try {
    parsed = parseCommand(command, args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    exitWithUsage(command, error.message);
  }
  if (parsed === 'help') {
    process.stdout.write(usage(command));
    process.exit(0);
  }
  return parsed;
}

/** Says what is wrong with the command line, then the usage, on stderr, and exits 2. */
export function exitWithUsage(command: CliCommand, problem: string): never {
  process.stderr.write(`${command.name}: ${problem}\n\n${usage(command)}`);
  process.exit(2);
}
