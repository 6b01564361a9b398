import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express, type Request, type Response } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import type { QueryResult, QueryRunner } from '../routes/run-query.ts';
import { sendAuthError } from '../routes/run-query.ts';
import { type ErrorCode, isErrorCode, statusOf } from '@crossgov/schema';
import { sendNotFound } from '@crossgov/schema/server';
import { html } from './html.ts';
import { page, queryText, staleNotice, withNotice } from './layout.ts';
import {
  COMPARE_QUERY,
  type CompareData,
  checkCompare,
  compareAsked,
  compareProblem,
  compareVariables,
  renderCompare,
} from './pages/compare.ts';
import {
  ORGANISATION_QUERY,
  type OrganisationPageData,
  renderOrganisation,
} from './pages/organisation.ts';
import {
  type GraphShape,
  OVERVIEW_QUERY,
  type OverviewData,
  overviewVariables,
  renderOverview,
} from './pages/overview.ts';
import {
  STRATEGY_QUERY,
  type StrategyData,
  renderStrategy,
  strategyVariables,
} from './pages/strategy.ts';

const GOVUK = join(
  dirname(createRequire(import.meta.url).resolve('govuk-frontend/package.json')),
  'dist',
  'govuk',
);
// Read from the sources both from src/ and from the build's dist/ (the same path up and down from either):
// tsc copies no CSS, so the built gateway found none beside its compiled routes and served its pages unstyled.
const OWN_CSS = fileURLToPath(new URL('../../src/dashboard/dashboard.css', import.meta.url));

// The pages run no script and load nothing from elsewhere, so the policy allows only this
// origin's style sheets, fonts and images, forms back to itself, and no framing (clickjacking);
// helmet adds nosniff, a referrer policy and the rest of its defaults.
const secured = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'none'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'"],
      formAction: ["'self'"],
      baseUri: ["'none'"],
      frameAncestors: ["'none'"],
    },
  },
  frameguard: { action: 'deny' },
  // Served over plain HTTP on loopback by default; TLS and HSTS belong to whatever terminates TLS.
  strictTransportSecurity: false,
});

/**
 * The dashboard's icon: three bars rising, white on GOV.UK black. Its own, not the crown, which is for GOV.UK's
 * services alone; inline, so a build need not copy a file. Served at /favicon.ico too, where browsers ask without a
 * link, so that request is not a 404 (every current browser reads an SVG there by its content type).
 */
const FAVICON =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="4" fill="#0b0c0c"/><path fill="#ffffff" d="M6 20h5v7H6zM13.5 13h5v14h-5zM21 5h5v22h-5z"/></svg>';

export interface DashboardOptions {
  run: QueryRunner;
  logger: Pick<Logger, 'warn'>;
  /** Today's date (ISO) for the timeline's "today" line. */
  today?: () => string;
}

const SHAPE_QUERY =
  'query GraphShape { indicatorCatalogue { code } government { organisationSummaries { kind } } }';
/** How long a known shape is used before it is asked again (in the background: pages never wait for a refresh). */
const SHAPE_TTL_MS = 60_000;

/**
 * How many organisations of each kind the graph holds, and the standard indicators' codes: the directory's answer,
 * asked anonymously (it is public) and kept for a minute, so the overview can ask a graph of hundreds of
 * organisations for less than a handful (pages/overview.ts, overviewVariables). It is not the page's query and is not
 * in its Server-Timing; the first overview after a start waits for it, later ones refresh it in the background. Null
 * while the directory has not answered: the overview then asks for everything, as for a small graph.
 */
function graphShape(run: QueryRunner): () => Promise<GraphShape | null> {
  let known: { at: number; shape: GraphShape } | null = null;
  let asking: Promise<void> | null = null;
  const ask = () =>
    (asking ??= run({ headers: {} }, SHAPE_QUERY)
      .then((result) => {
        const data = result.data as {
          indicatorCatalogue: { code: string }[];
          government: { organisationSummaries: { kind: string }[] };
        } | null;
        if (!data?.government) return;
        const kinds = new Map<string, number>();
        for (const { kind } of data.government.organisationSummaries)
          kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
        known = {
          at: Date.now(),
          shape: { kinds, standard: data.indicatorCatalogue.map((i) => i.code) },
        };
      })
      .catch(() => undefined)
      .finally(() => {
        asking = null;
      }));
  return async () => {
    if (!known) await ask();
    else if (Date.now() - known.at > SHAPE_TTL_MS) void ask();
    return known?.shape ?? null;
  };
}

/**
 * The dashboard: pages rendered on the server from one GraphQL query each, through the same
 * gateway pipeline as any client (anonymous unless the browser sends a token), styled with the
 * GOV.UK Design System. Charts are inline SVG with a text description and a table beside them, so
 * the pages work without JavaScript and with a screen reader.
 */
export function dashboardRoutes(options: DashboardOptions) {
  const today = options.today ?? (() => new Date().toISOString().slice(0, 10));
  const shape = graphShape(options.run);
  return (app: Express) => {
    app.use(['/assets', '/strategy', '/organisations', '/compare'], secured);
    app.get('/', secured);
    // With `root`, only the file name is checked for dot segments: pnpm keeps packages under .pnpm.
    app.get('/assets/govuk-frontend.min.css', (_req, res) =>
      res.sendFile('govuk-frontend.min.css', { root: GOVUK, maxAge: '1d' }),
    );
    app.get('/assets/dashboard.css', (_req, res) =>
      res.sendFile(basename(OWN_CSS), { root: dirname(OWN_CSS) }),
    );
    app.use('/assets', express.static(join(GOVUK, 'assets'), { fallthrough: false, maxAge: '1d' }));
    app.get(['/favicon.svg', '/favicon.ico'], secured, (_req, res) =>
      res.type('image/svg+xml').set('cache-control', 'public, max-age=86400').send(FAVICON),
    );

    /**
     * Runs the page's one query and renders it, or answers with an error page; `Server-Timing` says how long each took.
     * A page with a form (`showsRefusals`) renders a refusal of what was asked itself, beside the field to put right.
     */
    const view = async (
      req: Request,
      res: Response,
      query: string,
      variables: Record<string, unknown>,
      render: (result: QueryResult) => string | null,
      showsRefusals = false,
    ) => {
      const started = performance.now();
      let result: QueryResult;
      try {
        result = await options.run(req, query, variables);
      } catch (error) {
        if (sendAuthError(res, error)) return;
        options.logger.warn({ err: error }, 'dashboard query failed');
        problem(res, 'INTERNAL_SERVER_ERROR', 'The figures could not be read. Try again later.');
        return;
      }
      const queried = performance.now();
      const input = result.errors.find((e) => e.extensions?.code === 'BAD_USER_INPUT');
      if (input && !(showsRefusals && result.data)) {
        problem(res, 'BAD_USER_INPUT', input.message);
        return;
      }
      if (!result.data) {
        if (result.retryAfter) res.setHeader('retry-after', result.retryAfter);
        // The caller's refusal keeps its code, busy is the graph's 503 (with Retry-After), and anything else is the graph
        // failing behind the gateway (502).
        const code = result.errors[0]?.extensions?.code;
        const busy = result.status === 503;
        const refused =
          isErrorCode(code) && statusOf(code) >= 400 && statusOf(code) < 500 ? code : null;
        problem(
          res,
          refused ?? (busy ? 'SERVICE_UNAVAILABLE' : 'SUBGRAPH_UNAVAILABLE'),
          busy
            ? 'The service is busy. Try again in a few seconds.'
            : 'The figures could not be read. Try again later.',
        );
        return;
      }
      const body = render(result);
      if (body === null) return;
      res.setHeader(
        'server-timing',
        `graphql;desc="1 query";dur=${(queried - started).toFixed(1)}, render;dur=${(performance.now() - queried).toFixed(1)}`,
      );
      res.type('html').send(withNotice(body, staleNotice(result.stale)));
    };

    app.get('/', async (req, res) => {
      const scope = { kind: queryText(req.query.kind), shape: await shape() };
      return view(req, res, OVERVIEW_QUERY, overviewVariables(scope), (r) =>
        renderOverview(r.data as unknown as OverviewData, scope),
      );
    });
    app.get('/strategy', (req, res) => {
      const organisation = queryText(req.query.organisation);
      return view(req, res, STRATEGY_QUERY, strategyVariables(organisation), (r) => {
        const data = r.data as unknown as StrategyData;
        if (organisation && !data.chosen) {
          problem(res, 'NOT_FOUND', `There is no organisation ${JSON.stringify(organisation)}.`);
          return null;
        }
        return renderStrategy(data, today());
      });
    });
    app.get('/organisations/:id', (req, res) => {
      // The indicator chosen (?indicator=) is only rendered, not asked for: the page's table needs every one.
      const indicator = queryText(req.query.indicator);
      return view(req, res, ORGANISATION_QUERY, { id: req.params.id }, (r) => {
        if (!(r.data as unknown as OrganisationPageData).organisation) {
          problem(res, 'NOT_FOUND', `There is no organisation ${JSON.stringify(req.params.id)}.`);
          return null;
        }
        return renderOrganisation(r.data as unknown as OrganisationPageData, indicator);
      });
    });
    app.get('/compare', (req, res) => {
      const asked = compareAsked(req.query);
      return view(
        req,
        res,
        COMPARE_QUERY,
        compareVariables(asked),
        (r) => {
          const data = r.data as unknown as CompareData;
          // A period that is no period was found before asking; an unknown indicator or peer group is the API's refusal.
          const refusal = r.errors.find((e) => e.extensions?.code === 'BAD_USER_INPUT');
          const onForm = asked.problem ?? (refusal ? compareProblem(refusal, asked) : null);
          if (refusal && !onForm) {
            problem(res, 'BAD_USER_INPUT', refusal.message);
            return null;
          }
          const checked = checkCompare(data, { ...asked, problem: onForm });
          if (checked.problem) res.status(statusOf('BAD_USER_INPUT'));
          return renderCompare(data, checked);
        },
        true,
      );
    });
  };
}

/** A path no route has: the dashboard's "Page not found" to a browser, JSON to any other client. */
export function notFoundPage(req: Request, res: Response): void {
  if (req.method === 'GET' && req.accepts(['json', 'html']) === 'html') {
    secured(req, res, () => problem(res, 'NOT_FOUND', `There is no page at ${req.path}.`));
    return;
  }
  sendNotFound(req, res);
}

/** The dashboard's error page: the page a browser reads, with the status of its code in the table (errors.ts). */
function problem(res: Response, code: ErrorCode, message: string): void {
  const status = statusOf(code);
  const body = html`<h1 class="govuk-heading-xl">${status === 404 ? 'Page not found' : status === 400 ? 'There is a problem' : 'Sorry, there is a problem with the service'}</h1><p class="govuk-body">${message}</p><p class="govuk-body"><a class="govuk-link" href="/">Back to the overview</a></p>`;
  res
    .status(status)
    .type('html')
    .send(page({ title: 'There is a problem', section: 'overview', body }));
}
