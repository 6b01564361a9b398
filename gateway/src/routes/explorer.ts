import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { sendError } from '@crossgov/schema/server';
import type { Express, NextFunction, Request, Response } from 'express';
import { type GraphQLSchema, introspectionFromSchema } from 'graphql';
import helmet from 'helmet';

export interface ExplorerOptions {
  /** The graph's API schema as the gateway last loaded it; undefined until one is loaded. */
  schema: () => GraphQLSchema | undefined;
}

const require = createRequire(import.meta.url);
const packageOf = (name: string) => {
  const json = require.resolve(`${name}/package.json`);
  return {
    dir: dirname(json),
    version: (JSON.parse(readFileSync(json, 'utf8')) as { version: string }).version,
  };
};

// GraphiQL 3's UMD bundle and style sheet, and React 18's UMD builds: prebuilt files from npm, served
// as they are, with no bundler and nothing fetched from a CDN (Apollo's landing page loads from one,
// and is a blank page on a network without the internet). Each URL names its package's version, so
// a browser may keep the file for a year: a new version is a new URL.
const graphiql = packageOf('graphiql');
const react = packageOf('react');
const reactDom = packageOf('react-dom');
const VENDOR: Record<string, string> = {
  [`graphiql@${graphiql.version}.js`]: join(graphiql.dir, 'dist', 'index.umd.js'),
  [`graphiql@${graphiql.version}.css`]: join(graphiql.dir, 'dist', 'style.css'),
  [`react@${react.version}.js`]: join(react.dir, 'umd', 'react.production.min.js'),
  [`react-dom@${reactDom.version}.js`]: join(reactDom.dir, 'umd', 'react-dom.production.min.js'),
};

const FIRST_QUERY = `# Crossgov: write a query, run it with Ctrl-Enter.
# Docs (top left) lists every type. A token goes
# in Headers: {"authorization": "Bearer <token>"}
{
  organisations {
    id
    name
    kind
    indicators {
      code
      name
      latest { period value }
    }
  }
}
`;

// The page's own script, as a file (the policy allows no inline script). GraphiQL asks the schema by
// introspection, which production refuses on /graphql; its introspection query is answered instead
// from /explorer/schema.json, the API schema the gateway serves (published already as
// schema/supergraph.graphql), so the Docs pane and completion work while /graphql keeps refusing
// introspection queries to everyone else.
const BOOT = `'use strict';
(function () {
  var post = GraphiQL.createFetcher({ url: '/graphql' });
  var schema = null;
  function fetcher(params, options) {
    if (params && params.operationName === 'IntrospectionQuery') {
      schema = schema || fetch('/explorer/schema.json').then(function (r) { return r.json(); });
      return schema;
    }
    return post(params, options);
  }
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(React.createElement(GraphiQL, { fetcher: fetcher, defaultQuery: ${JSON.stringify(FIRST_QUERY)}, defaultEditorToolsVisibility: true }));
})();
`;
const BOOT_NAME = `explorer.${createHash('sha256').update(BOOT).digest('hex').slice(0, 12)}.js`;

const scripts = [
  `react@${react.version}.js`,
  `react-dom@${reactDom.version}.js`,
  `graphiql@${graphiql.version}.js`,
  BOOT_NAME,
];
const PAGE = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>GraphQL explorer – Crossgov</title>
<link rel="stylesheet" href="/explorer/graphiql@${graphiql.version}.css">
<link rel="stylesheet" href="/explorer/explorer.css">
</head>
<body>
<noscript>The explorer needs JavaScript. Without it, POST queries to /graphql, or GET /graphql?query=... (README).</noscript>
<div id="graphiql"></div>
${scripts.map((name) => `<script src="/explorer/${name}" defer></script>`).join('\n')}
</body>
</html>
`;
// The one rule GraphiQL's own style sheet leaves to its host page: fill the window.
const CSS = 'html, body, #graphiql { height: 100%; margin: 0; }\n';

const YEAR = 365 * 24 * 3600;

// The explorer runs scripts, so it has its own policy beside the dashboard's script-free one: scripts
// from this origin only, and none inline; queries back to this origin only. GraphiQL's fonts are data:
// URLs in its style sheet, and its dialogs and editor set inline styles (CodeMirror measures text with
// them; Radix adds a style element while a dialog is open), which a policy without 'unsafe-inline'
// for styles would break. No framing (clickjacking).
const secured = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'none'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      baseUri: ["'none'"],
      formAction: ["'none'"],
      frameAncestors: ["'none'"],
    },
  },
  frameguard: { action: 'deny' },
  strictTransportSecurity: false,
});

/**
 * A GraphQL explorer (GraphiQL) at `/graphql` for a browser: a GET that accepts HTML and carries no
 * query. Every other request to /graphql (POST, or GET with `query` or `id`) is the API's, unchanged.
 */
export function explorerRoutes(options: ExplorerOptions) {
  return (app: Express) => {
    app.get('/graphql', (req: Request, res: Response, next: NextFunction) => {
      const browser =
        req.query.query === undefined &&
        req.query.id === undefined &&
        req.accepts(['json', 'html']) === 'html';
      if (!browser) {
        next();
        return;
      }
      secured(req, res, () => {
        // The page names versioned files, so it is itself asked again each time (it is small).
        res.setHeader('cache-control', 'no-cache');
        res.type('html').send(PAGE);
      });
    });
    app.use('/explorer', secured);
    app.get('/explorer/schema.json', (_req, res) => {
      const schema = options.schema();
      if (!schema) {
        sendError(
          res,
          'SERVICE_UNAVAILABLE',
          'the gateway has no supergraph loaded yet',
          {},
          { headers: { 'retry-after': '1' } },
        );
        return;
      }
      // A reloaded supergraph changes it: asked again each time the page opens.
      res.setHeader('cache-control', 'no-cache');
      res.json({ data: introspectionFromSchema(schema) });
    });
    app.get('/explorer/explorer.css', (_req, res) => {
      res.setHeader('cache-control', 'no-cache');
      res.type('css').send(CSS);
    });
    app.get(`/explorer/${BOOT_NAME}`, (_req, res) => {
      res.setHeader('cache-control', `public, max-age=${YEAR}, immutable`);
      res.type('js').send(BOOT);
    });
    for (const [name, file] of Object.entries(VENDOR)) {
      app.get(`/explorer/${name}`, (_req, res) => {
        // With `root`, only the file name is checked for dot segments: pnpm keeps packages under .pnpm.
        res.sendFile(basename(file), { root: dirname(file), maxAge: YEAR * 1000, immutable: true });
      });
    }
  };
}
