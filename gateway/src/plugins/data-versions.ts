import { createHash } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { LRUCache } from 'lru-cache';

/**
 * ETag and Last-Modified for the gateway's GET answers (facts, registered operations, GraphQL over
 * GET, dashboard pages), derived from the data versions of the subgraphs that answered
 * (schema/src/data-version.ts). A BI tool or a proxy that revalidates gets `304 Not Modified` while
 * nothing the answer was computed from has changed, and the new answer on the very next request
 * after a publication, a correction or a target change, whichever process of a publisher made it.
 *
 * The tag covers everything else an answer depends on too: the URL (path and query), the caller
 * (a hash of the token: a draft reader's answers never share a tag with an anonymous reader's),
 * the Accept header (CSV or JSON), the date pages are drawn for, the supergraph, and this gateway
 * process (a new release may draw the same data differently). An answer with errors, one partly
 * from a subgraph's last good answer, or one a subgraph gave no version for gets no tag of ours
 * (Express's own, a hash of the body, still lets a client revalidate it).
 */
export class AnswerVersions {
  /** Each subgraph's version, as every call to it in this request reported it. */
  private readonly versions = new Map<string, string>();
  /** False once any call gave no version, or two calls to one subgraph disagreed (a write landed between them). */
  private whole = true;

  record(subgraph: string, version: string | undefined): void {
    const earlier = this.versions.get(subgraph);
    if (version === undefined || (earlier !== undefined && earlier !== version)) this.whole = false;
    else this.versions.set(subgraph, version);
  }

  /** Nothing of this request may be tagged (errors, a stale part). */
  spoil(): void {
    this.whole = false;
  }

  /** `subgraph=version` for every subgraph that answered, in name order; undefined when the answer may not be tagged. */
  get list(): string[] | undefined {
    if (!this.whole || this.versions.size === 0) return undefined;
    return [...this.versions].map(([subgraph, version]) => `${subgraph}=${version}`).sort();
  }
}

// By the route's request: one HTTP request may run several queries (a page of /facts runs one per
// organisation). Each query's context carries the same collector (`GatewayContext.dataVersions`:
// Apollo Server copies a context before running with it, so a context cannot be a key).
const byRequest = new WeakMap<object, AnswerVersions>();

/** The collector of the data versions of every query a route runs for `req`. */
export function versionsOf(req: object): AnswerVersions {
  let versions = byRequest.get(req);
  if (!versions) byRequest.set(req, (versions = new AnswerVersions()));
  return versions;
}

export interface ValidatorOptions {
  /** The date pages are drawn for (ISO). */
  today: () => string;
  /** A hash of the supergraph being served; changes when it is reloaded. */
  supergraph: () => string;
}

/**
 * Middleware for the GET routes: as the route sends its answer (`res.send`, which `res.json` calls),
 * tags a whole 200 answer with an ETag from its data versions and a Last-Modified (when this gateway
 * first served that tag), and lets Express answer 304 when the caller's `If-None-Match` or
 * `If-Modified-Since` shows it has that answer already. Streamed answers (`/facts?all=true`) are not
 * tagged.
 */
export function answerValidators(options: ValidatorOptions) {
  // This process's start: a new release may draw the same data differently.
  const release = `${process.pid}.${Date.now()}`;
  // When each tag was first served, for Last-Modified, and the latest tag of each answer (URL, caller
  // and Accept): bounded, least recently used out.
  const firstServed = new LRUCache<string, Date>({ max: 10_000 });
  const latestOf = new LRUCache<string, { etag: string; served: Date }>({ max: 10_000 });
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const send = res.send.bind(res);
    res.send = (body?: unknown) => {
      const versions = byRequest.get(req)?.list;
      if (res.statusCode === 200 && versions && !res.get('etag')) {
        const token = req.headers.authorization ?? '';
        // The answer's identity: its URL, its caller (a hash, so no token is kept) and what it accepts.
        const answer = [
          req.originalUrl,
          createHash('sha256').update(token).digest('base64url'),
          req.headers.accept ?? '',
        ].join('\n');
        const tag = createHash('sha256')
          .update([release, options.supergraph(), options.today(), answer, ...versions].join('\n'))
          .digest('base64url')
          .slice(0, 27);
        const etag = `W/"${tag}"`;
        let served = firstServed.get(etag);
        if (!served) {
          firstServed.set(etag, (served = new Date(Math.floor(Date.now() / 1000) * 1000)));
          // Last-Modified counts whole seconds: a tag first served in the same second as the one it
          // replaces gets none, or a client revalidating by date alone would be told 304.
          const replaced = latestOf.get(answer);
          if (replaced && replaced.etag !== etag && replaced.served.getTime() >= served.getTime())
            firstServed.set(etag, (served = new Date(NaN)));
        }
        latestOf.set(answer, { etag, served });
        res.set({
          etag,
          ...(!Number.isNaN(served.getTime()) && { 'last-modified': served.toUTCString() }),
          // Stored by a browser or proxy only to be revalidated; a caller's own answers only by their browser.
          'cache-control': token ? 'private, no-cache' : 'no-cache',
        });
        res.vary('authorization').vary('accept');
      }
      return send(body);
    };
    next();
  };
}
