import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { type Registry, Scope, findEntry, findPublisher, issueToken, loadRegistry } from '@crossgov/schema';
import { devSecret } from './dev-secret.ts';
import { ROOT } from './processes.ts';

// pnpm token <organisation> [--scopes write,read:drafts] [--expires 8h] [--subject name]
// pnpm token --publisher <publisher> [--scopes publish,read:drafts] ...
// Prints a development token signed with AUTH_SECRET or, if unset, the secret `pnpm start` uses.

const USAGE =
  'usage: pnpm token <organisation> [--scopes write,read:drafts] [--expires 8h] [--subject name] [--data-dir .data]\n' +
  '       pnpm token --publisher <publisher> [--scopes publish,read:drafts] [--expires 8h] [--subject name] [--data-dir .data]';
const DEFAULT_SCOPES = `${Scope.WRITE},${Scope.READ_DRAFTS}`;
const DEFAULT_PUBLISHER_SCOPES = `${Scope.PUBLISH},${Scope.READ_DRAFTS}`;

/** Issues the token the arguments ask for; throws a message naming what was wrong. */
export async function devToken(args: string[], registry: Registry, secret: string): Promise<string> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      scopes: { type: 'string' },
      publisher: { type: 'string' },
      expires: { type: 'string', default: '8h' },
      subject: { type: 'string', default: 'developer' },
      'data-dir': { type: 'string' },
    },
  });
  if (positionals.length !== (values.publisher ? 0 : 1)) throw new Error(USAGE);
  // A publisher's data team writes for every organisation its publisher serves; an organisation's token for itself only.
  const publisher = values.publisher ? findPublisher(registry, values.publisher).id : null;
  const organisation = publisher ? null : findEntry(registry, positionals[0]!).id;
  const known = Object.values(Scope) as string[];
  const scopes = (values.scopes ?? (publisher ? DEFAULT_PUBLISHER_SCOPES : DEFAULT_SCOPES)).split(',').map((s) => s.trim()).filter(Boolean);
  for (const scope of scopes) if (!known.includes(scope)) throw new Error(`unknown scope "${scope}" (known: ${known.join(', ')})`);
  return issueToken({ secret }, { subject: values.subject, organisation, publisher, scopes: scopes as Scope[], expiresIn: values.expires });
}

async function main(): Promise<void> {
  // pnpm passes a literal `--` through to the script.
  const args = process.argv.slice(2).filter((arg) => arg !== '--');
  const { values } = parseArgs({ args, strict: false, options: { 'data-dir': { type: 'string' } } });
  const dataDir = typeof values['data-dir'] === 'string' ? values['data-dir'] : join(ROOT, '.data');
  const secret = process.env.AUTH_SECRET || devSecret(dataDir);
  console.log(await devToken(args, loadRegistry(), secret));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(`token: ${(error as Error).message}`);
    process.exit(1);
  });
}
