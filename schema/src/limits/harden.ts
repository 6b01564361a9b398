import { type GraphQLFormattedError, type ValidationRule, GraphQLError } from 'graphql';
import { createErrorMasker } from '../mask-errors.ts';
import { nameTokenRefusal } from './refusals.ts';
import type { RequestLimits } from './settings.ts';

export interface HardeningOptions {
  limits: Pick<RequestLimits, 'maxTokens'>;
  /**
   * Introspection, field suggestions, a subgraph's `_service { sdl }`, stack traces and unmasked
   * errors; production (false) unless a deployable is started with NODE_ENV=development.
   * @default false
   */
  development?: boolean;
}

/** The options every Crossgov Apollo Server is built with: the gateway and each subgraph alike. */
export interface HardenedApolloOptions {
  introspection: boolean;
  hideSchemaDetailsFromClientErrors: boolean;
  includeStacktraceInErrorResponses: boolean;
  parseOptions: { maxTokens: number };
  validationRules: ValidationRule[];
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
}

/**
 * Production behaviour unless development is asked for, whatever NODE_ENV says (Apollo Server
 * would answer introspection whenever NODE_ENV is not "production", and tests build servers with
 * it unset), and the token limit; spread into `new ApolloServer({ ... })` beside `requestChecksPlugin`,
 * which enforces the other limits.
 */
export function hardenedApolloOptions(options: HardeningOptions): HardenedApolloOptions {
  const development = options.development ?? false;
  const mask = createErrorMasker(development);
  return {
    introspection: development,
    hideSchemaDetailsFromClientErrors: !development,
    includeStacktraceInErrorResponses: development,
    // Parsing stops at the token limit, which also bounds validation (graphql-js's own rules).
    parseOptions: { maxTokens: options.limits.maxTokens },
    validationRules: development ? [] : [NoServiceSdl],
    formatError: (formatted, error) => {
      const named = nameTokenRefusal(clientCoded(formatted, error), error);
      return mask(development ? named : withoutSuggestions(named));
    },
  };
}

/**
 * A subgraph's SDL (`_service { sdl }`) is for composition, which Crossgov does from code
 * (`pnpm compose`); the gateway reads the checked-in supergraph. Outside development callers are
 * refused it, as they are introspection.
 */
export const NoServiceSdl: ValidationRule = (context) => ({
  Field(node) {
    if (
      node.name.value === '_service' &&
      context.getParentType() === context.getSchema().getQueryType()
    ) {
      context.reportError(
        new GraphQLError(
          "a subgraph's SDL (_service) is not served outside development; the composed schema is in schema/supergraph.graphql",
          { nodes: [node] },
        ),
      );
    }
  },
});

/** graphql-js's last word after 50 variables it could not coerce, naming none (the 50 before it name theirs). */
const TOO_MANY_VARIABLE_ERRORS =
  'Too many errors processing variables, error limit reached. Execution aborted.';

/**
 * Errors that are the caller's but come without a code, which Apollo Server then codes
 * INTERNAL_SERVER_ERROR and masking hides as one: graphql-js giving up on a caller's variables
 * (BAD_USER_INPUT), and Apollo Server's own 4xx refusals, such as a persisted query whose hash does
 * not match its text (BAD_REQUEST). Their messages were written for callers and stay as they are.
 */
function clientCoded(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const raised = (error as { extensions?: { code?: unknown; http?: { status?: unknown } } } | null)
    ?.extensions;
  if (raised?.code !== undefined) return formatted;
  const status = raised?.http?.status;
  const code =
    formatted.message === TOO_MANY_VARIABLE_ERRORS
      ? 'BAD_USER_INPUT'
      : typeof status === 'number' && status >= 400 && status < 500
        ? 'BAD_REQUEST'
        : null;
  return code ? { ...formatted, extensions: { ...formatted.extensions, code } } : formatted;
}

/** "Did you mean ...?" names fields and values of the schema; production does not tell. */
function withoutSuggestions(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const message = formatted.message.replace(/ ?Did you mean .+\?$/s, '');
  return message === formatted.message ? formatted : { ...formatted, message };
}
