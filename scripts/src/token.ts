import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Registry } from '@crossgov/schema';
import type { Scope } from '@crossgov/schema/auth';
import {
  PNPM,
  UsageError,
  defineCommand,
  exitWithUsage,
  parseCommand,
  readCommand,
  usage,
} from './cli.ts';

// pnpm token <organisation> [--scopes write,read:drafts] [--expires 8h] [--subject name]
// pnpm token --publisher <publisher> [--scopes publish,read:drafts] ...
// Prints a development token signed with AUTH_SECRET or, if unset, the secret `pnpm start` uses.
// The graph's code is imported once the command line is read, so --help answers at once.

export const TOKEN_COMMAND = defineCommand({
  name: `${PNPM} -s token`,
  positionals: '<organisation>',
  description:
    "Prints a development token for an organisation's data team (it writes for that organisation only), or with\n" +
    "--publisher and no organisation, for a publisher's (it writes for every organisation the publisher serves). It is\n" +
    'signed with AUTH_SECRET or, if unset, the secret `start` keeps in <data-dir>/auth-secret, so the graph it starts accepts it.',
  options: {
    publisher: {
      type: 'string',
      value: '<publisher>',
      description: "a publisher's token instead of an organisation's",
    },
    scopes: {
      type: 'string',
      value: '<list>',
      description:
        "comma-separated: read:published, read:drafts, write, publish, admin (default: write,read:drafts; a publisher's publish,read:drafts)",
    },
    expires: {
      type: 'string',
      default: '8h',
      value: '<time>',
      description: 'how long it is valid: 30m, 8h, 7d',
    },
    subject: {
      type: 'string',
      default: 'developer',
      value: '<name>',
      description: 'who it names, in the audit trail',
    },
    'data-dir': {
      type: 'string',
      default: '.data',
      value: '<dir>',
      description: 'where `start` keeps the development secret',
    },
  },
  examples: [
    `${PNPM} -s token synergy`,
    `${PNPM} -s token norfolk -- --scopes write,read:drafts,publish --expires 1h`,
    `${PNPM} -s token -- --publisher nhs-england`,
  ],
  notes: 'Exit status: 0 printed, 1 an unknown organisation, publisher or scope, 2 usage.',
});

/** Issues the token the arguments ask for; throws a message naming what was wrong (a UsageError for the command line). */
export async function devToken(
  args: string[],
  registry: Registry,
  secret: string,
): Promise<string> {
  const parsed = parseCommand(TOKEN_COMMAND, args);
  if (parsed === 'help') throw new UsageError(usage(TOKEN_COMMAND));
  const { values, positionals } = parsed;
  if (values.publisher && positionals.length > 0)
    throw new UsageError(
      `name an organisation or --publisher ${values.publisher}, not both (${positionals.join(' ')})`,
    );
  if (!values.publisher && positionals.length !== 1)
    throw new UsageError(
      positionals.length === 0
        ? 'name the organisation, or --publisher <publisher>'
        : `name one organisation, not ${positionals.length} (${positionals.join(' ')})`,
    );
  const [{ findEntry, findPublisher }, { Scope, issueToken }] = await Promise.all([
    import('@crossgov/schema'),
    import('@crossgov/schema/auth'),
  ]);
  // A publisher's data team writes for every organisation its publisher serves; an organisation's token for itself only.
  const publisher = values.publisher ? findPublisher(registry, values.publisher).id : null;
  const organisation = publisher ? null : findEntry(registry, positionals[0]!).id;
  const known = Object.values(Scope) as string[];
  const defaults = publisher
    ? [Scope.PUBLISH, Scope.READ_DRAFTS]
    : [Scope.WRITE, Scope.READ_DRAFTS];
  const scopes = values.scopes
    ? values.scopes
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : defaults;
  for (const scope of scopes)
    if (!known.includes(scope))
      throw new Error(`unknown scope "${scope}" (known: ${known.join(', ')})`);
  return issueToken(
    { secret },
    {
      subject: values.subject,
      organisation,
      publisher,
      scopes: scopes as Scope[],
      expiresIn: values.expires,
    },
  );
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const { values } = readCommand(TOKEN_COMMAND, args);
  const [{ loadRegistry }, { authSecretOf, readScriptEnv }, { ROOT }] = await Promise.all([
    import('@crossgov/schema'),
    import('./env.ts'),
    import('./processes.ts'),
  ]);
  const secret = authSecretOf(readScriptEnv(), join(ROOT, values['data-dir']));
  try {
    console.log(await devToken(args, loadRegistry(), secret));
  } catch (error) {
    if (error instanceof UsageError) exitWithUsage(TOKEN_COMMAND, error.message);
    throw error;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(`token: ${(error as Error).message}`);
    process.exit(1);
  });
}
