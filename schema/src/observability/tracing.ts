import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type Context,
  type Span,
  SpanKind,
  SpanStatusCode,
  context,
  propagation,
  trace,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_SERVICE_NAME,
  ATTR_URL_PATH,
} from '@opentelemetry/semantic-conventions';

/**
 * OpenTelemetry tracing, off unless an OTLP endpoint is configured (OTEL_EXPORTER_OTLP_ENDPOINT).
 * On, a request's trace starts at the gateway (or continues the caller's `traceparent`), the
 * gateway's own spans (@apollo/gateway's gateway.request, gateway.plan, one gateway.fetch per
 * subgraph call) sit under it, the W3C `traceparent` header carries it to each subgraph, and each
 * subgraph's server span continues it: one trace id from the gateway into every subgraph.
 */
export interface TracingOptions {
  /** The service name spans carry (gateway, directory, insights, a publisher's id). */
  serviceName: string;
  /** Base URL of an OTLP/HTTP collector (its traces are sent to `<endpoint>/v1/traces`); unset: no tracing. */
  endpoint?: string | undefined;
  /**
   * The share of requests traced, 0 to 1, decided where a trace starts (the gateway, for a caller
   * that sent no `traceparent`); a subgraph follows the decision its caller's `traceparent` carries.
   * @default 1
   */
  ratio?: number | undefined;
}

export interface Tracing {
  /** Whether spans are recorded and exported. */
  enabled: boolean;
  /** Sends every span not yet sent, then stops. */
  shutdown(): Promise<void>;
}

let installed: TracerProvider | undefined;

/** Installs the process's tracer provider, context manager and propagator; once per process. */
export function startTracing(options: TracingOptions): Tracing {
  if (!options.endpoint) return { enabled: false, shutdown: async () => undefined };
  if (installed) throw new Error('tracing is already started in this process');
  const exporter = new OTLPTraceExporter({
    url: `${options.endpoint.replace(/\/+$/, '')}/v1/traces`,
  });
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(options.ratio ?? 1) }),
    spanProcessors: [new BatchSpanProcessor({ exporter })],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  installed = provider;
  return { enabled: true, shutdown: () => provider.shutdown() };
}

const tracer = trace.getTracer('crossgov');

/**
 * Starts the server span of an HTTP request, continuing the caller's trace (`traceparent`), and
 * binds the request and response to its context so that what runs on their events (the body
 * parser, then Apollo Server) runs inside it. Without tracing it is a non-recording span.
 */
export function startServerSpan(
  service: string,
  req: IncomingMessage,
  res: ServerResponse,
): { span: Span; context: Context } {
  const parent = propagation.extract(context.active(), req.headers);
  const path = (req.url ?? '/').split('?')[0]!;
  const span = tracer.startSpan(
    `${req.method ?? 'GET'} ${path}`,
    {
      kind: SpanKind.SERVER,
      attributes: {
        [ATTR_HTTP_REQUEST_METHOD]: req.method ?? 'GET',
        [ATTR_URL_PATH]: path,
        'crossgov.service': service,
      },
    },
    parent,
  );
  const active = trace.setSpan(parent, span);
  context.bind(active, req);
  context.bind(active, res);
  res.once('finish', () => {
    span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, res.statusCode);
    if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  });
  res.once('close', () => {
    if (!res.writableFinished) {
      span.setStatus({
        code: SpanStatusCode.ERROR,
        message: 'the caller went away before the answer was sent',
      });
      span.end();
    }
  });
  return { span, context: active };
}

/** Runs `fn` in a context. */
export const withContext = <T>(active: Context, fn: () => T): T => context.with(active, fn);

/** Adds the active trace's `traceparent` (and `tracestate`) to an outgoing request's headers. */
export function injectTraceHeaders(headers: { set(name: string, value: string): void }): void {
  propagation.inject(context.active(), headers, {
    set: (carrier, key, value) => carrier.set(key, value),
  });
}

/** The trace id of a span, when it is recorded (tracing on), for log lines. */
export function traceIdOf(span: Span): string | undefined {
  const { traceId, traceFlags } = span.spanContext();
  return span.isRecording() || traceFlags & 1 ? traceId : undefined;
}
