import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Scope, findEntry, findPublisher, issueToken, loadRegistry, statusOf } from '@crossgov/schema';
import { devSecret } from './dev-secret.ts';
import { ROOT } from './processes.ts';

// pnpm run import <organisation> <file> [--publish] [--gateway URL] [--token TOKEN] [--format csv|json]
// pnpm run import --publisher <publisher> <file> ...   (a publisher's file: every row names its organisation)
// (`pnpm import` without `run` is pnpm's own command, which converts other lockfiles.)

const USAGE = `usage: pnpm run import <organisation> <file.csv|file.json> [--publish] [--gateway http://127.0.0.1:4000] [--token TOKEN] [--format csv|json]
       pnpm run import --publisher <publisher> <file.csv|file.json> [same options]
  Sends the file through the gateway to the subgraph of the organisation's publisher, which checks
  every row and writes it in one transaction: all of it, or nothing and the list of every invalid row.
  With --publisher the file is a publisher's: each row names its organisation (an organisation column).
  The token comes from --token, else CROSSGOV_TOKEN, else a development token signed with
  AUTH_SECRET or the secret \`pnpm start\` keeps in .data/auth-secret.`;

export interface ImportCommand {
  /** The organisation whose file it is; null for a publisher's file. */
  organisation: string | null;
  /** The publisher whose file it is (every row names its organisation); null for one organisation's. */
  publisher: string | null;
  file: string;
  format: 'csv' | 'json';
  publish: boolean;
  gateway: string;
  token: string | null;
}

/** Reads the command line; throws the usage or a message naming what is wrong. */
export function readImportCommand(args: string[], env: NodeJS.ProcessEnv = process.env): ImportCommand {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      publish: { type: 'boolean', default: false },
      gateway: { type: 'string', default: env.CROSSGOV_GATEWAY ?? 'http://127.0.0.1:4000' },
      token: { type: 'string' },
      format: { type: 'string' },
      publisher: { type: 'string' },
    },
  });
  const publisher = values.publisher ?? null;
  if (positionals.length !== (publisher ? 1 : 2)) throw new Error(USAGE);
  const [organisation, file] = (publisher ? [null, positionals[0]] : positionals) as [string | null, string];
  if (!existsSync(file) || !statSync(file).isFile()) throw new Error(`file ${JSON.stringify(file)} does not exist or is not a file`);
  const format = (values.format ?? extname(file).slice(1)).toLowerCase();
  if (format !== 'csv' && format !== 'json') throw new Error(`cannot tell the format of ${JSON.stringify(file)}: name it .csv or .json, or say --format csv|json`);
  return { organisation, publisher, file, format, publish: values.publish, gateway: values.gateway.replace(/\/+$/, ''), token: values.token ?? env.CROSSGOV_TOKEN ?? null };
}

export interface ImportOutcome {
  ok: boolean;
  /** The subgraph's last line: `{ data: result }` or `{ errors: [...] }`. */
  body: { data?: Record<string, unknown>; errors?: { message: string; extensions?: Record<string, unknown> }[] };
  status: number;
}

type Say = (line: string, transient?: boolean) => void;

/** Streams the file to the gateway, reporting upload and server progress, and returns the answer. */
export async function sendImport(command: ImportCommand, say: Say = () => undefined): Promise<ImportOutcome> {
  const size = statSync(command.file).size;
  let sent = 0;
  let lastShown = -1;
  const counting = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      sent += chunk.length;
      const percent = size === 0 ? 100 : Math.floor((sent / size) * 100);
      if (percent !== lastShown && (percent % 10 === 0 || percent === 100)) {
        lastShown = percent;
        say(`uploading ${percent}% (${megabytes(sent)} of ${megabytes(size)})`, true);
      }
      callback(null, chunk);
    },
  });
  const path = command.publisher ? `publishers/${encodeURIComponent(command.publisher)}` : `organisations/${encodeURIComponent(command.organisation ?? '')}`;
  const url = `${command.gateway}/${path}/imports${command.publish ? '?publish=true' : ''}`;
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': command.format === 'csv' ? 'text/csv' : 'application/json',
      'content-length': String(size),
      accept: 'application/x-ndjson, application/json',
      ...(command.token ? { authorization: `Bearer ${command.token}` } : {}),
    },
    body: Readable.toWeb(createReadStream(command.file).pipe(counting)) as ReadableStream,
    duplex: 'half',
  } as RequestInit);
  let last: ImportOutcome['body'] = {};
  const streamed = response.headers.get('content-type')?.includes('ndjson') ?? false;
  if (!streamed) {
    last = (await response.json()) as ImportOutcome['body'];
  } else {
    let buffered = '';
    for await (const chunk of Readable.fromWeb(response.body as WebReadableStream<Uint8Array>)) {
      buffered += chunk.toString();
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (!line) continue;
        const message = JSON.parse(line) as { progress?: { phase: string; done: number; total: number | null } } & ImportOutcome['body'];
        if (message.progress) say(describeProgress(message.progress), true);
        else last = message;
      }
    }
  }
  // A streamed answer has said 200 before the file was checked: its status is the one its error stands for.
  const code = last.errors?.[0]?.extensions?.code;
  const status = streamed && code !== undefined ? statusOf(code) : response.status;
  return { ok: response.ok && !last.errors && Boolean(last.data), body: last, status };
}

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function describeProgress({ phase, done, total }: { phase: string; done: number; total: number | null }): string {
  const n = (x: number) => x.toLocaleString('en-GB');
  if (phase === 'reading') return `read ${n(done)} rows`;
  if (phase === 'validating') return done === 0 ? `checking ${n(total ?? 0)} records` : `checked ${n(total ?? 0)} records: all valid`;
  if (phase === 'writing') return `writing ${n(done)} of ${n(total ?? 0)} (${total ? Math.floor((done / total) * 100) : 100}%)`;
  return `committing ${n(done)} records`;
}

/** The token to send: the one given, or a development token for the organisation or the publisher's data team. */
async function tokenFor(command: ImportCommand): Promise<string> {
  if (command.token) return command.token;
  const secret = process.env.AUTH_SECRET || devSecret(join(ROOT, '.data'));
  if (command.publisher) return issueToken({ secret }, { subject: 'pnpm-import', organisation: null, publisher: command.publisher, scopes: [Scope.PUBLISH], expiresIn: '1h' });
  return issueToken({ secret }, { subject: 'pnpm-import', organisation: command.organisation, scopes: [Scope.WRITE], expiresIn: '1h' });
}

async function main(): Promise<number> {
  const args = process.argv.slice(2).filter((arg) => arg !== '--');
  let command: ImportCommand;
  try {
    command = readImportCommand(args);
    if (command.publisher) findPublisher(loadRegistry(), command.publisher);
    else findEntry(loadRegistry(), command.organisation!);
  } catch (error) {
    console.error(`import: ${(error as Error).message}`);
    return 2;
  }
  const interactive = process.stderr.isTTY;
  let transientShown = false;
  const say: Say = (line, transient = false) => {
    if (interactive && transient) {
      process.stderr.write(`\r\x1b[2K${line}`);
      transientShown = true;
      return;
    }
    if (transientShown) process.stderr.write('\n');
    transientShown = false;
    process.stderr.write(`${line}\n`);
  };
  const started = performance.now();
  const outcome = await sendImport({ ...command, token: await tokenFor(command) }, say);
  if (transientShown) process.stderr.write('\n');
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (outcome.ok) {
    const r = outcome.body.data as Record<string, number | string | boolean>;
    console.log(
      `imported ${command.file} into ${command.publisher ? `${(r.organisations as unknown as string[]).length} organisations of ${command.publisher}` : r.organisation} in ${seconds} s: ${r.measurements} measurements ${r.published ? 'published' : 'as drafts'}, ${r.targets} targets, ${r.milestoneReturns} milestone returns, ${r.confidenceAssessments} confidence assessments`,
    );
    return 0;
  }
  const error = outcome.body.errors?.[0];
  console.error(`import refused (HTTP ${outcome.status}, ${String(error?.extensions?.code ?? 'UNKNOWN')}): nothing was written.`);
  const problems = error?.extensions?.problems as { row: number; context?: string; field: string; value: unknown; rule: string }[] | undefined;
  if (problems) {
    for (const p of problems) console.error(`  ${command.format === 'csv' ? 'line' : 'record'} ${p.row}${p.context ? ` (${p.context})` : ''}: ${p.field} ${JSON.stringify(p.value)} ${p.rule}`);
  } else {
    console.error(`  ${error?.message ?? JSON.stringify(outcome.body)}`);
  }
  return 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      const cause = (error as { cause?: { code?: string } }).cause;
      console.error(`import: ${cause?.code === 'ECONNREFUSED' ? 'the gateway is not running (start it with pnpm start, or say --gateway)' : (error as Error).message}`);
      process.exit(1);
    },
  );
}
