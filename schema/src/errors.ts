import { type ASTNode, GraphQLError } from 'graphql';

/** Whether a client reads the error's message and extensions as sent, or a masked "Internal server error". */
export type Visibility = 'client' | 'masked';

/** Who raises a code: Crossgov's own code, Apollo (Server or Gateway) that Crossgov passes on, or both. */
export type RaisedBy = 'crossgov' | 'apollo' | 'both';

export interface ErrorKind {
  /** The HTTP status a refusal with this code is answered with, wherever it is raised. */
  status: number;
  /**
   * The one refinement HTTP itself draws within a code, by `extensions.reason`: a gateway that gave up
   * waiting (504, not 502), an import id already used (409, not 400). Clients switch on the code.
   */
  statusByReason?: Readonly<Record<string, number>>;
  visibility: Visibility;
  raisedBy: RaisedBy;
  /** What it means, in one line. */
  meaning: string;
}

/**
 * Every error code Crossgov sends or passes on, each with its one HTTP status and whether clients see
 * its message (after Apollo Server's `errors/index.ts`, one list of codes). The status of a refusal is
 * read here, never chosen where it is thrown; the gateway's masker (mask-errors.ts) passes exactly the
 * `client` codes; errors.test.ts checks that every code the source raises is in this table.
 */
export const ERRORS = {
  BAD_USER_INPUT: {
    status: 400,
    visibility: 'client',
    raisedBy: 'both',
    meaning:
      'an argument, variable, parameter or row broke a rule; the error names the field, the value and the rule',
  },
  BAD_REQUEST: {
    status: 400,
    statusByReason: {
      METHOD_NOT_ALLOWED: 405,
      IMPORT_RUNNING: 409,
      IMPORT_COMMITTED: 409,
      UNSUPPORTED_MEDIA_TYPE: 415,
    },
    visibility: 'client',
    raisedBy: 'both',
    meaning:
      'the request itself cannot be taken: a body that is not JSON, a malformed import id, a mutation sent with GET',
  },
  NOT_FOUND: {
    status: 404,
    visibility: 'client',
    raisedBy: 'crossgov',
    meaning: 'no organisation, publisher, import, operation or route answers to that name',
  },
  FORBIDDEN: {
    status: 403,
    visibility: 'client',
    raisedBy: 'crossgov',
    meaning: 'the token is good but may not do this (another organisation, a missing scope)',
  },
  UNAUTHENTICATED: {
    status: 401,
    visibility: 'client',
    raisedBy: 'crossgov',
    meaning: 'no token where one is needed, or a token refused; `reason` says why',
  },
  QUERY_TOO_COMPLEX: {
    status: 400,
    visibility: 'client',
    raisedBy: 'crossgov',
    meaning: 'a query over a request limit (depth, aliases, tokens, expanded selections, cost)',
  },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    visibility: 'client',
    raisedBy: 'crossgov',
    meaning: "a request body or file over its route's limit, which the error names",
  },
  CANCELLED: {
    status: 499,
    visibility: 'client',
    raisedBy: 'crossgov',
    meaning:
      'the caller went away before an import finished, so it was rolled back (nginx\'s "client closed request")',
  },
  INTERNAL_SERVER_ERROR: {
    status: 500,
    visibility: 'masked',
    raisedBy: 'both',
    meaning: 'anything not raised on purpose: a bug or a failed dependency; its message is hidden',
  },
  SUBGRAPH_UNAVAILABLE: {
    status: 502,
    statusByReason: { TIMEOUT: 504, DEADLINE: 504 },
    visibility: 'client',
    raisedBy: 'crossgov',
    meaning:
      'a subgraph could not be reached or broke off (502), or did not answer in time (504); its fields are null',
  },
  SERVICE_UNAVAILABLE: {
    status: 503,
    visibility: 'client',
    raisedBy: 'crossgov',
    meaning:
      'a saturated process, one still starting, or an answer not complete by its deadline; sent with Retry-After',
  },
  GRAPHQL_PARSE_FAILED: {
    status: 400,
    visibility: 'client',
    raisedBy: 'apollo',
    meaning: 'the query is not GraphQL (a syntax error)',
  },
  GRAPHQL_VALIDATION_FAILED: {
    status: 400,
    visibility: 'client',
    raisedBy: 'apollo',
    meaning: 'the query is not valid against the schema',
  },
  OPERATION_RESOLUTION_FAILURE: {
    status: 400,
    visibility: 'client',
    raisedBy: 'both',
    meaning: 'the document has no operation of the name given, or several and no name',
  },
  PERSISTED_QUERY_NOT_FOUND: {
    status: 200,
    visibility: 'client',
    raisedBy: 'apollo',
    meaning:
      'an automatic persisted query hash not known yet: the client sends the query (200, as Apollo answers)',
  },
  PERSISTED_QUERY_NOT_SUPPORTED: {
    status: 200,
    visibility: 'client',
    raisedBy: 'apollo',
    meaning: 'persisted queries are turned off (200, as Apollo answers)',
  },
  DOWNSTREAM_SERVICE_ERROR: {
    status: 502,
    visibility: 'masked',
    raisedBy: 'apollo',
    meaning:
      "Apollo Gateway's wrapper for a subgraph's own error; masked, since it may hold the subgraph's internals",
  },
} as const satisfies Record<string, ErrorKind>;

/** Every error code a Crossgov server may send; clients can switch on these. */
export type ErrorCode = keyof typeof ERRORS;

export const isErrorCode = (code: unknown): code is ErrorCode =>
  typeof code === 'string' && Object.hasOwn(ERRORS, code);

/** The HTTP status for an error code (and its `extensions.reason`); a code not in the table is an internal error. */
export function statusOf(code: unknown, reason?: unknown): number {
  if (!isErrorCode(code)) return ERRORS.INTERNAL_SERVER_ERROR.status;
  const kind: ErrorKind = ERRORS[code];
  return (typeof reason === 'string' && kind.statusByReason?.[reason]) || kind.status;
}

/** Whether clients may see an error of this code as it was sent: message, extensions and all. */
export const isClientVisible = (code: unknown): boolean =>
  isErrorCode(code) && ERRORS[code].visibility === 'client';

/**
 * The body of a refusal over plain HTTP, shaped like a GraphQL answer's errors so a client reads both
 * alike: `{ errors: [{ message, extensions: { code, ... } }] }`.
 */
export const errorBody = (
  code: ErrorCode,
  message: string,
  extensions: Record<string, unknown> = {},
) => ({
  errors: [{ message, extensions: { code, ...extensions } }],
});

export function userError(
  code: ErrorCode,
  message: string,
  extensions: Record<string, unknown> = {},
): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions } });
}

/** A bad input names the field, the value and the rule it broke. */
export function badInput(field: string, value: unknown, rule: string): GraphQLError {
  return userError('BAD_USER_INPUT', `${field} ${JSON.stringify(value)} ${rule}`, {
    field,
    value,
    rule,
  });
}

export function notFound(what: string, id: string): GraphQLError {
  return userError('NOT_FOUND', `${what} "${id}" was not found`, { id });
}

export interface RequestErrorOptions {
  /** Headers that go with the refusal over plain HTTP, such as Retry-After. */
  headers?: Record<string, string>;
  /** Where in the query, for a refusal of a query. */
  nodes?: readonly ASTNode[];
  /** The error behind it, kept for the log (drizzle's `cause`); never sent. */
  cause?: unknown;
}

/**
 * A refusal raised on purpose outside a resolver: by a plain-HTTP route (facts, imports, GraphQL over
 * GET), or before a query runs (a token, a request limit). Its status is the table's for its code,
 * in `status` for a route's `sendError` and in `extensions.http` for Apollo Server, which reads it from
 * there in one place and strips it from the answer. Headers that go with it (Retry-After) ride along.
 */
export class RequestError extends GraphQLError {
  readonly code: ErrorCode;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    code: ErrorCode,
    message: string,
    extensions: Record<string, unknown> = {},
    options: RequestErrorOptions = {},
  ) {
    const status = statusOf(code, extensions.reason);
    super(message, {
      nodes: options.nodes,
      extensions: { code, ...extensions, http: { status } },
      ...(options.cause instanceof Error && { originalError: options.cause }),
    });
    this.name = 'RequestError';
    this.code = code;
    this.status = status;
    this.headers = options.headers ?? {};
  }
}

/** A refusal raised on purpose outside a resolver that names the field, the value and the rule it broke (as `badInput`). */
export function badRequestInput(field: string, value: unknown, rule: string): RequestError {
  return new RequestError('BAD_USER_INPUT', `${field} ${JSON.stringify(value)} ${rule}`, {
    field,
    value,
    rule,
  });
}

/** An error raised on purpose, with a code clients may see: anything else is masked (after graphql-yoga's mask-error). */
export const isRefusal = (error: unknown): error is GraphQLError =>
  error instanceof GraphQLError && isClientVisible(error.extensions.code);
