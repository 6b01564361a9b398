import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { UsageError, defineCommand, parseCommand, usage } from './cli.ts';
import { ROOT } from './processes.ts';

const run = promisify(execFile);

const EXAMPLE = defineCommand({
  name: 'npx -y pnpm@9 example',
  description: 'Does an example thing.',
  options: {
    port: { type: 'string', default: '4000', value: '<port>', description: 'where it listens' },
    separate: { type: 'boolean', description: 'one process each' },
    child: { type: 'string', internal: true, description: 'what a child runs' },
  },
  examples: ['npx -y pnpm@9 example -- --port 4001'],
});

describe('a command line', () => {
  it('takes each option with its default, and drops the `--` pnpm passes through', () => {
    expect(parseCommand(EXAMPLE, [])).toEqual({
      values: { port: '4000', separate: false },
      positionals: [],
    });
    expect(parseCommand(EXAMPLE, ['--', '--port', '4001', '--separate'])).toEqual({
      values: { port: '4001', separate: true },
      positionals: [],
    });
  });

  it('answers --help and -h with help', () => {
    expect(parseCommand(EXAMPLE, ['--help'])).toBe('help');
    expect(parseCommand(EXAMPLE, ['--port', '1', '-h'])).toBe('help');
  });

  it('refuses an option it does not know, naming it', () => {
    expect(() => parseCommand(EXAMPLE, ['--prot', '4001'])).toThrow(
      new UsageError('unknown option --prot'),
    );
  });

  it('refuses a string option without its value, naming it', () => {
    expect(() => parseCommand(EXAMPLE, ['--port'])).toThrow(/--port <value>' argument missing/);
  });

  it('refuses an argument when the command takes options only', () => {
    expect(() => parseCommand(EXAMPLE, ['norfolk'])).toThrow(
      new UsageError('unexpected argument "norfolk": this command takes options only'),
    );
  });

  it('shows every option but internal ones, each with its default, --help, and the examples', () => {
    expect(usage(EXAMPLE)).toBe(
      [
        'Usage: npx -y pnpm@9 example [options]',
        '',
        'Does an example thing.',
        '',
        'Options:',
        '  --port <port>  where it listens (default: 4000)',
        '  --separate     one process each',
        '  -h, --help     print this help and exit',
        '',
        'Examples:',
        '  npx -y pnpm@9 example -- --port 4001',
        '',
      ].join('\n'),
    );
  });
});

// Every root script that runs a TypeScript entry point through tsx, as package.json names it: a new
// command is covered without being listed here.
const scripts = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
};
const COMMANDS = Object.entries(scripts.scripts)
  .map(([name, line]) => [name, /^tsx (?:--[\w-]+ )*(scripts\/\S+\.ts)$/.exec(line)?.[1]] as const)
  .filter((c): c is readonly [string, string] => c[1] !== undefined);

/** Runs the entry point as a child process (node with tsx's loader: npx would add seconds to each). */
async function cli(file: string, args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', file, ...args], {
      cwd: ROOT,
      timeout: 60_000,
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout: string; stderr: string };
    return { code: failed.code ?? -1, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** Runs `work` over `items` two at a time: the tests share two cores with everything else. */
async function twoAtATime<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  };
  await Promise.all([worker(), worker()]);
  return results;
}

describe('every command a user runs', () => {
  it('is found in package.json: start, compose, token, import, db:generate and the benchmarks', () => {
    const names = COMMANDS.map(([name]) => name);
    for (const name of [
      'start',
      'compose',
      'token',
      'import',
      'db:generate',
      'bench',
      'bench:league',
      'bench:scale',
      'bench:facts',
    ])
      expect(names).toContain(name);
  });

  // One test for all: each child starts no server (the command line is read before anything else).
  it(
    'prints its usage for --help and exits 0, and names a wrong option with the usage and exits 2',
    { timeout: 240_000 },
    async () => {
      const jobs = COMMANDS.flatMap(([name, file]) => [
        { name, file, args: ['--help'] },
        { name, file, args: ['--no-such-option'] },
      ]);
      const results = await twoAtATime(jobs, async (job) => ({
        ...job,
        ...(await cli(job.file, job.args)),
      }));
      for (const r of results) {
        const what = `${r.name} ${r.args.join(' ')}: ${r.stderr.slice(0, 400)}`;
        if (r.args[0] === '--help') {
          expect(r.code, what).toBe(0);
          expect(r.stdout, what).toMatch(/^Usage: npx -y pnpm@9 /);
          expect(r.stdout, what).toContain('Examples:');
        } else {
          expect(r.code, what).toBe(2);
          expect(r.stderr, what).toContain('unknown option --no-such-option');
          expect(r.stderr, what).toContain('Usage: npx -y pnpm@9 ');
          expect(r.stdout, what).toBe('');
        }
      }
    },
  );
});
