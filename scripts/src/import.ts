import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { type IncomingMessage, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { basename, extname, join, resolve, sep } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { findEntry, findPublisher, loadRegistry, statusOf } from '@crossgov/schema';
import { Scope, issueToken } from '@crossgov/schema/auth';
import { SOURCE_IDS, type SourceId, sourceOf } from '@crossgov/organisation/sources';
import {
  PNPM,
  UsageError,
  defineCommand,
  exitWithUsage,
  parseCommand,
  readCommand,
  usage,
} from './cli.ts';
import { type ScriptEnv, authSecretOf, readScriptEnv } from './env.ts';
import { ROOT } from './processes.ts';

// pnpm run import <organisation> <file> [--publish] [--gateway URL] [--token TOKEN] [--format csv|json]
// pnpm run import --publisher <publisher> <file> ...   (a publisher's file: every row names its organisation)
// pnpm run import <source> <files...>                  (a published data set in its publisher's own format)
// (`pnpm import` without `run` is pnpm's own command, which converts other lockfiles.)

export const IMPORT_COMMAND = defineCommand({
  name: `${PNPM} run import`,
  positionals:
    '<organisation> <file.csv|file.json> | -- --publisher <publisher> <file> | <source> <files...>',
  description: `Sends the file through the gateway to the subgraph of the organisation's publisher, which checks every row and
writes it in one transaction: all of it, or nothing and the list of invalid rows. With --publisher the file is a
publisher's: each row names its organisation (an organisation column). A source is a published data set read in its
publisher's own format (docs/public-data.md): ${SOURCE_IDS.join(', ')}.
Its files go to the publisher that serves its organisations, are read by its adapter and written published, and the
answer lists every cell not taken and every repair. Every import has an id, printed first; if the connection breaks or the gateway
gives up, the command asks the gateway what became of it.`,
  options: {
    publish: {
      type: 'boolean',
      description: 'publish the figures at once rather than keep them as drafts',
    },
    gateway: {
      type: 'string',
      value: '<url>',
      description: 'the gateway (default: CROSSGOV_GATEWAY, else http://127.0.0.1:4000)',
    },
    token: {
      type: 'string',
      value: '<token>',
      description: 'the bearer token (default: CROSSGOV_TOKEN, else a development token)',
    },
    format: {
      type: 'string',
      value: 'csv|json',
      description: "the file's format (default: from its name)",
    },
    publisher: {
      type: 'string',
      value: '<publisher>',
      description: "a publisher's file, each row naming its organisation",
    },
    report: {
      type: 'string',
      value: '<file>',
      description: "a data set's whole report (every cell not taken, every repair) written as JSON",
    },
  },
  examples: [
    `${PNPM} run import norfolk schema/seed-data/norfolk-vital-signs.csv -- --publish`,
    `${PNPM} run import nhs-ae-attendances ../shared/data/public/nhs-ae-attendances/derived/ae_attendances.csv -- --report /tmp/ae-report.json`,
  ],
  notes: `The development token is signed with AUTH_SECRET or the secret \`start\` keeps in .data/auth-secret.
Exit status: 0 imported, 1 refused or not imported, 2 usage, 3 not known whether it was imported
(ask later: GET <gateway>/imports/<id>).`,
});

export interface ImportCommand {
  /** The organisation whose file it is; null for a publisher's file. */
  organisation: string | null;
  /** The publisher whose file it is (every row names its organisation); null for one organisation's. */
  publisher: string | null;
  file: string;
  /** A published data set's id, whose files (`files`) its adapter reads; null for a CSV or JSON file. */
  source: SourceId | null;
  files: string[];
  /** Where to write the adapter's whole report (every cell not taken, every repair); null to print a summary only. */
  report: string | null;
  format: 'csv' | 'json';
  publish: boolean;
  gateway: string;
  token: string | null;
}

/**
 * Reads the command line, with CROSSGOV_GATEWAY and CROSSGOV_TOKEN from `env` for what it leaves
 * out; throws the usage or a message naming what is wrong.
 */
export function readImportCommand(
  args: string[],
  env: Pick<ScriptEnv, 'CROSSGOV_GATEWAY' | 'CROSSGOV_TOKEN'> = {},
): ImportCommand {
  const parsed = parseCommand(IMPORT_COMMAND, args);
  if (parsed === 'help') throw new UsageError(usage(IMPORT_COMMAND));
  const { values, positionals } = parsed;
  const publisher = values.publisher ?? null;
  const gateway = (values.gateway ?? env.CROSSGOV_GATEWAY ?? 'http://127.0.0.1:4000').replace(
    /\/+$/,
    '',
  );
  const token = values.token ?? env.CROSSGOV_TOKEN ?? null;
  if (positionals[0] && (SOURCE_IDS as readonly string[]).includes(positionals[0])) {
    const source = sourceOf(positionals[0]);
    const files = positionals.slice(1);
    if (files.length === 0)
      throw new UsageError(
        `name the files of ${source.id} to import, e.g. ${source
          .files('')
          .map((f) => `../shared/data/public/${source.id}/${f}`)
          .slice(0, 2)
          .join(' ')} ...`,
      );
    for (const file of files)
      if (!existsSync(file) || !statSync(file).isFile())
        throw new Error(`file ${JSON.stringify(file)} does not exist or is not a file`);
    return {
      organisation: null,
      publisher: source.publisher.id,
      file: files[0]!,
      source: source.id,
      files,
      report: values.report ?? null,
      format: 'csv',
      publish: true,
      gateway,
      token,
    };
  }
  if (positionals.length !== (publisher ? 1 : 2)) {
    throw new UsageError(
      publisher
        ? `name the file of publisher ${publisher}, and nothing else (given: ${positionals.join(' ') || 'nothing'})`
        : `name the organisation and the file (given: ${positionals.join(' ') || 'nothing'})`,
    );
  }
  const [organisation, file] = (publisher ? [null, positionals[0]] : positionals) as [
    string | null,
    string,
  ];
  if (!existsSync(file) || !statSync(file).isFile())
    throw new Error(`file ${JSON.stringify(file)} does not exist or is not a file`);
  const format = (values.format ?? extname(file).slice(1)).toLowerCase();
  if (format !== 'csv' && format !== 'json')
    throw new Error(
      `cannot tell the format of ${JSON.stringify(file)}: name it .csv or .json, or say --format csv|json`,
    );
  return {
    organisation,
    publisher,
    file,
    source: null,
    files: [file],
    report: null,
    format,
    publish: values.publish,
    gateway,
    token,
  };
}

/** A new import id for a publisher: its id, a dot, 22 random letters and digits (the gateway's and the publisher's rule). */
export const newImportId = (publisher: string) =>
  `${publisher}.${randomBytes(16).toString('base64url')}`;

type Body = {
  data?: Record<string, unknown>;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
  extensions?: Record<string, unknown>;
};

export interface ImportOutcome {
  ok: boolean;
  /** The last answer: `{ data: result }` or `{ errors: [...] }`; empty when the connection broke first. */
  body: Body;
  /** The HTTP status, or the one a streamed error stands for; 0 when there was no answer. */
  status: number;
  /** There was no whole answer (the connection broke, or the command was interrupted): ask what became of the import. */
  broken: boolean;
}

type Say = (line: string, transient?: boolean) => void;

/**
 * Streams the file to the gateway with the import's id, reporting upload and server progress, and
 * returns the answer. node:http rather than fetch: fetch gives up on an answer after 300 s of its
 * own, shorter than an import may take; the gateway's deadline is the one that counts.
 */
export async function sendImport(
  command: ImportCommand,
  importId: string,
  say: Say = () => undefined,
  signal?: AbortSignal,
): Promise<ImportOutcome> {
  const multipart = command.source ? multipartOf(command.source, command.files) : null;
  const size = multipart ? multipart.body.length : statSync(command.file).size;
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
  const path = command.publisher
    ? `publishers/${encodeURIComponent(command.publisher)}`
    : `organisations/${encodeURIComponent(command.organisation ?? '')}`;
  const query = command.source
    ? `?source=${encodeURIComponent(command.source)}`
    : command.publish
      ? '?publish=true'
      : '';
  const url = new URL(`${command.gateway}/${path}/imports${query}`);
  const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, {
    method: 'POST',
    headers: {
      'content-type': multipart
        ? multipart.contentType
        : command.format === 'csv'
          ? 'text/csv'
          : 'application/json',
      'content-length': String(size),
      accept: 'application/x-ndjson, application/json',
      'import-id': importId,
      ...(command.token ? { authorization: `Bearer ${command.token}` } : {}),
    },
    signal,
  });
  const answered = new Promise<IncomingMessage>((resolve, reject) => {
    request.once('response', resolve);
    request.once('error', reject);
  });
  // A connection that breaks after the answer began is reported by the answer's own stream, and a
  // write still in flight when the gateway closes the connection after an early answer fails unheard.
  request.on('error', () => undefined);
  request.on('socket', (socket) => socket.on('error', () => undefined));
  // An early answer (a refusal before the whole file is sent) ends the upload: its error is not the answer's.
  pipeline(
    multipart ? Readable.from([multipart.body]) : createReadStream(command.file),
    counting,
    request,
  ).catch(() => undefined);
  let response: IncomingMessage;
  try {
    response = await answered;
  } catch (error) {
    if ((error as { code?: string }).code === 'ECONNREFUSED') throw error;
    return { ok: false, body: {}, status: 0, broken: true };
  }
  const streamed = response.headers['content-type']?.includes('ndjson') ?? false;
  let last: Body | null = null;
  let buffered = '';
  try {
    for await (const chunk of response as AsyncIterable<Buffer>) {
      buffered += chunk.toString();
      if (!streamed) continue;
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (!line) continue;
        const message = JSON.parse(line) as {
          progress?: { phase: string; done: number; total: number | null };
        } & Body;
        if (message.progress) say(describeProgress(message.progress), true);
        else last = message;
      }
    }
    if (!streamed) last = JSON.parse(buffered) as Body;
  } catch {
    return { ok: false, body: last ?? {}, status: 0, broken: true };
  }
  if (!response.complete || !last) return { ok: false, body: last ?? {}, status: 0, broken: true };
  // A streamed answer has said 200 before the file was checked: its status is the one its error stands for.
  const { code, reason } = last.errors?.[0]?.extensions ?? {};
  const status =
    streamed && code !== undefined ? statusOf(code, reason) : (response.statusCode ?? 0);
  return {
    ok: status === 200 && !last.errors && Boolean(last.data),
    body: last,
    status,
    broken: false,
  };
}

export interface ImportStatus {
  status: 'COMMITTED' | 'RUNNING' | 'NOT_COMMITTED' | 'UNKNOWN';
  result?: Record<string, unknown>;
  /** Why it is not known, when it is not. */
  message?: string;
}

/** Asks the gateway what became of an import, again while it is still running, for up to `waitMs`. */
export async function whatBecameOf(
  command: Pick<ImportCommand, 'gateway' | 'token'>,
  importId: string,
  waitMs = 60_000,
  say: Say = () => undefined,
): Promise<ImportStatus> {
  const until = Date.now() + waitMs;
  for (;;) {
    let answer: {
      data?: { status: ImportStatus['status']; result?: Record<string, unknown> };
      errors?: { message: string }[];
    };
    try {
      const response = await fetch(`${command.gateway}/imports/${encodeURIComponent(importId)}`, {
        headers: command.token ? { authorization: `Bearer ${command.token}` } : {},
        signal: AbortSignal.timeout(Math.max(1000, Math.min(30_000, until - Date.now()))),
      });
      answer = (await response.json()) as typeof answer;
    } catch (error) {
      answer = {
        errors: [{ message: `the gateway did not answer (${(error as Error).message})` }],
      };
    }
    const status = answer.data?.status;
    if (status === 'COMMITTED' || status === 'NOT_COMMITTED')
      return { status, ...(answer.data?.result && { result: answer.data.result }) };
    if (Date.now() + 1000 >= until)
      return {
        status: status === 'RUNNING' ? 'RUNNING' : 'UNKNOWN',
        ...(answer.errors && { message: answer.errors[0]?.message }),
      };
    say(
      status === 'RUNNING'
        ? `import ${importId} is still running (rolling back, or committing); asking again`
        : `asking again what became of import ${importId}`,
      true,
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/**
 * A data set's files as one multipart/form-data body, each part named by the file's path within the
 * data set's folder when it is in one (`raw/history/services_2015-06-30_369bbadb.csv`), else its name.
 */
export function multipartOf(
  source: string,
  files: readonly string[],
): { body: Buffer; contentType: string } {
  const boundary = `crossgov-${randomBytes(12).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const file of files) {
    const absolute = resolve(file);
    const marker = `${sep}${source}${sep}`;
    const at = absolute.lastIndexOf(marker);
    const name =
      at >= 0
        ? absolute
            .slice(at + marker.length)
            .split(sep)
            .join('/')
        : basename(file);
    parts.push(
      Buffer.from(
        `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${name.replace(/["\r\n]/g, '_')}"\r\ncontent-type: application/octet-stream\r\n\r\n`,
      ),
    );
    parts.push(readFileSync(file), Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function describeProgress({
  phase,
  done,
  total,
}: {
  phase: string;
  done: number;
  total: number | null;
}): string {
  const n = (x: number) => x.toLocaleString('en-GB');
  if (phase === 'reading') return `read ${n(done)} rows`;
  if (phase === 'validating')
    return done === 0
      ? `checking ${n(total ?? 0)} records`
      : `checked ${n(total ?? 0)} records: all valid`;
  if (phase === 'writing')
    return `writing ${n(done)} of ${n(total ?? 0)} (${total ? Math.floor((done / total) * 100) : 100}%)`;
  return `committing ${n(done)} records`;
}

/** The token to send: the one given, or a development token for the organisation or the publisher's data team. */
async function tokenFor(
  command: ImportCommand,
  env: Pick<ScriptEnv, 'AUTH_SECRET'>,
): Promise<string> {
  if (command.token) return command.token;
  const secret = authSecretOf(env, join(ROOT, '.data'));
  if (command.publisher)
    return issueToken(
      { secret },
      {
        subject: 'pnpm-import',
        organisation: null,
        publisher: command.publisher,
        scopes: [Scope.PUBLISH],
        expiresIn: '1h',
      },
    );
  return issueToken(
    { secret },
    {
      subject: 'pnpm-import',
      organisation: command.organisation,
      scopes: [Scope.WRITE],
      expiresIn: '1h',
    },
  );
}

/** "imported <file> into <whom> in <s> s: <what>". */
const describeResult = (command: ImportCommand, r: Record<string, unknown>, seconds: string) =>
  command.source
    ? `imported ${command.source} (${command.files.length} files) into ${(r.organisations as string[] | undefined)?.length ?? 0} organisations of ${command.publisher} in ${seconds} s: ` +
      `${String(r.measurements)} figures published, ${String(r.indicators)} indicator definitions, ${String(r.services)} services, ${String(r.programmes)} programmes, ` +
      `${String(r.milestoneReturns)} milestone returns, ${String(r.confidenceAssessments)} confidence assessments, ${String(r.programmeReturns)} programme returns, ${String(r.targets)} targets`
    : `imported ${command.file} into ${command.publisher ? `${(r.organisations as string[] | undefined)?.length ?? 0} organisations of ${command.publisher}` : String(r.organisation)} in ${seconds} s: ${String(r.measurements)} measurements ${r.published ? 'published' : 'as drafts'}, ${String(r.targets)} targets, ${String(r.milestoneReturns)} milestone returns, ${String(r.confidenceAssessments)} confidence assessments`;

export interface ImportIo {
  say: Say;
  out: (line: string) => void;
  err: (line: string) => void;
  /** Aborted to stop the import (Ctrl-C): the upload ends, and the command asks what became of it. */
  signal?: AbortSignal;
  /** How long to keep asking what became of an import that is still running. @default 60000 */
  statusWaitMs?: number;
}

/** Imports the file and reports; the exit status: 0 imported, 1 refused or not imported, 3 not known. */
export async function runImport(
  command: ImportCommand,
  publisher: string,
  io: ImportIo,
): Promise<number> {
  const importId = newImportId(publisher);
  io.err(
    `import ${importId}: ${command.source ? `${command.source} (${command.files.length} files)` : command.file} to ${command.gateway}`,
  );
  const started = performance.now();
  const outcome = await sendImport(command, importId, io.say, io.signal);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (outcome.ok) {
    io.out(`${describeResult(command, outcome.body.data!, seconds)} (import ${importId})`);
    if (command.source) reportSource(command, outcome.body.data!, io);
    return 0;
  }
  const error = outcome.body.errors?.[0];
  const known = error?.extensions?.importStatus;
  if (outcome.broken || known === 'RUNNING' || known === 'UNKNOWN') {
    io.err(
      outcome.broken
        ? `${io.signal?.aborted ? 'interrupted' : 'the connection to the gateway broke'} before the answer came; asking what became of import ${importId}`
        : `${error!.message}`,
    );
    const became = await whatBecameOf(command, importId, io.statusWaitMs, io.say);
    if (became.status === 'COMMITTED') {
      io.out(
        `${describeResult(command, became.result ?? {}, seconds)} (import ${importId}: it committed, though its answer was lost)`,
      );
      return 0;
    }
    if (became.status === 'NOT_COMMITTED') {
      io.err(`import ${importId} was not committed: nothing was written.`);
      return 1;
    }
    io.err(
      `whether import ${importId} committed is not known yet${became.message ? ` (${became.message})` : ''}; ask with: curl -s ${command.gateway}/imports/${importId} -H "authorization: Bearer <token>"`,
    );
    return 3;
  }
  io.err(
    `import refused (HTTP ${outcome.status}, ${String(error?.extensions?.code ?? 'UNKNOWN')}): nothing was written. (import ${importId})`,
  );
  const problems = error?.extensions?.problems as
    { row: number; context?: string; field: string; value: unknown; rule: string }[] | undefined;
  if (problems) {
    for (const p of problems)
      io.err(
        `  ${command.source ? 'record' : command.format === 'csv' ? 'line' : 'record'} ${p.row}${p.context ? ` (${p.context})` : ''}: ${p.field} ${JSON.stringify(p.value)} ${p.rule}`,
      );
    const count = error?.extensions?.problemCount as number | undefined;
    if (count !== undefined && count > problems.length)
      io.err(
        `  ... and ${count - problems.length} more (${count} problems in all; the first ${problems.length} are listed)`,
      );
    if (error?.extensions?.stoppedAtRow !== undefined)
      io.err(
        `  reading stopped at ${command.format === 'csv' ? 'line' : 'record'} ${String(error.extensions.stoppedAtRow)}: fix these and send the file again to check the rest`,
      );
  } else {
    io.err(`  ${error?.message ?? JSON.stringify(outcome.body)}`);
  }
  return 1;
}

/** A published data set's report: its notes, what was not taken and what was repaired, counted by rule; the whole of it to `--report`. */
function reportSource(
  command: ImportCommand,
  r: Record<string, unknown>,
  io: Pick<ImportIo, 'out'>,
): void {
  type Line = { file: string; line: number; field: string; value: unknown; rule: string };
  const notTaken = (r.notTaken as Line[] | undefined) ?? [];
  const repairs = (r.repairs as (Line & { repaired: unknown })[] | undefined) ?? [];
  for (const note of (r.notes as string[] | undefined) ?? []) io.out(`  note: ${note}`);
  const byRule = (lines: Line[]) => {
    const counts = new Map<string, { count: number; first: Line }>();
    for (const l of lines) {
      const rule = l.rule.replace(/\d[\d,.]*/g, 'N');
      const c = counts.get(rule);
      if (c) c.count += 1;
      else counts.set(rule, { count: 1, first: l });
    }
    return [...counts.values()].sort((a, b) => b.count - a.count);
  };
  io.out(
    `  ${notTaken.length} cells not taken, ${repairs.length} repairs${command.report ? `: every one in ${command.report}` : ' (--report FILE writes every one)'}`,
  );
  for (const { count, first } of byRule(notTaken).slice(0, 15))
    io.out(
      `  not taken x${count}, e.g. ${first.file} line ${first.line}: ${first.field} ${JSON.stringify(first.value)} ${first.rule}`,
    );
  for (const { count, first } of byRule(repairs).slice(0, 15))
    io.out(
      `  repaired x${count}, e.g. ${first.file} line ${first.line}: ${first.field} ${JSON.stringify(first.value)} ${first.rule}`,
    );
  if (command.report)
    writeFileSync(
      command.report,
      `${JSON.stringify({ source: command.source, files: r.files, notes: r.notes, notTaken, repairs }, null, 2)}\n`,
    );
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  readCommand(IMPORT_COMMAND, args); // --help, and a wrong option, answered before anything else
  let command: ImportCommand;
  let publisher: string;
  let env: ScriptEnv;
  try {
    env = readScriptEnv();
    command = readImportCommand(args, env);
    // A data set goes to the publisher its adapter names (the real government's registry is not the checked-in one).
    publisher = command.source
      ? command.publisher!
      : command.publisher
        ? findPublisher(loadRegistry(), command.publisher).id
        : findEntry(loadRegistry(), command.organisation!).publisher;
  } catch (error) {
    if (error instanceof UsageError) exitWithUsage(IMPORT_COMMAND, error.message);
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
  // Ctrl-C stops the upload (the import is then rolled back) and asks what became of it; a second one quits at once.
  const interrupt = new AbortController();
  process.on('SIGINT', () => {
    if (interrupt.signal.aborted) process.exit(130);
    interrupt.abort();
  });
  return runImport({ ...command, token: await tokenFor(command, env) }, publisher, {
    say,
    out: (line) => {
      if (transientShown) process.stderr.write('\n');
      transientShown = false;
      console.log(line);
    },
    err: (line) => say(line),
    signal: interrupt.signal,
  }).then((code) => {
    if (transientShown) process.stderr.write('\n');
    return code;
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      const cause = error as { code?: string; cause?: { code?: string } };
      const refused = cause.code === 'ECONNREFUSED' || cause.cause?.code === 'ECONNREFUSED';
      console.error(
        `import: ${refused ? 'the gateway is not running (start it with pnpm start, or say --gateway)' : (error as Error).message}`,
      );
      process.exit(1);
    },
  );
}
