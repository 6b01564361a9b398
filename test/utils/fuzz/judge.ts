import type { FuzzAnswer, FuzzInput } from './send.ts';

/** The finding for a path no route has, answered by Express's default handler: an HTML page, not JSON. */
export const NO_ROUTE =
  "a path no route has, answered with Express's HTML 404 page, not JSON with errors[0].extensions.code";

/** The largest refusal expected: an import's 1,000 problems (about 200 bytes each) and room to spare. */
const MAX_REFUSAL_BYTES = 1024 * 1024;

/** What one answer was: how it refused (if it did) and anything wrong with it. */
export interface Verdict {
  /** The refusal's code, with its reason or limit: `QUERY_TOO_COMPLEX/depth`, `HTML 404`; null when it was not refused. */
  refusal: string | null;
  /** The input was a write and the answer accepted it. */
  accepted: boolean;
  /** Findings: a 5xx, no answer, a refusal that is not JSON, a masked internal error. */
  findings: string[];
}

interface ErrorBody {
  errors?: { message?: string; extensions?: { code?: string; reason?: string; limit?: string } }[];
  data?: unknown;
  error?: unknown;
}

const codeOf = (body: ErrorBody | null): string | null => {
  const extensions = body?.errors?.[0]?.extensions;
  if (typeof extensions?.code !== 'string') return null;
  const detail = extensions.reason ?? extensions.limit;
  return typeof detail === 'string' ? `${extensions.code}/${detail}` : extensions.code;
};

const parse = (text: string): ErrorBody | null => {
  try {
    const value = JSON.parse(text) as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as ErrorBody)
      : null;
  } catch {
    return null;
  }
};

/** The body a JSON or NDJSON answer ends with: an import's progress lines end with its result. */
function finalBody(answer: FuzzAnswer): ErrorBody | null {
  if (answer.type.startsWith('application/x-ndjson')) {
    const lines = answer.text.trim().split('\n');
    return parse(lines[lines.length - 1] ?? '');
  }
  return answer.type.startsWith('application/json') ? parse(answer.text) : null;
}

const internal = (body: ErrorBody | null) =>
  (body?.errors ?? []).some((e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR');

/**
 * Judges one answer by the acceptance rules of issue 13: every input is answered; no answer is a
 * 5xx (a 503 with Retry-After is load shedding, allowed); a refusal is JSON with
 * `errors[0].extensions.code`, or for a dashboard page (or a browser at an address with no page)
 * the dashboard's HTML page; no error is a masked internal
 * one; and a write is always refused (the fuzz sends none that may succeed).
 */
export function judge(input: FuzzInput, answer: FuzzAnswer): Verdict {
  const findings: string[] = [];
  if (answer.failure) findings.push(`no whole answer: ${answer.failure}`);
  if (answer.status === 0) return { refusal: null, accepted: false, findings };
  const body = finalBody(answer);
  const code = codeOf(body);
  const html = answer.type.startsWith('text/html');
  // A streamed import answers 200 first; its last line says whether it was refused.
  const refusedLate = answer.type.startsWith('application/x-ndjson') && code !== null;
  if (answer.status >= 500 && !(answer.status === 503 && answer.retryAfter))
    findings.push(`answered ${answer.status}`);
  if (internal(body)) findings.push('an INTERNAL_SERVER_ERROR in the answer');
  // No refusal needs more than a page of problems (an import's are capped at 1,000, a variable's at 50).
  if (answer.status >= 400 && answer.bytes > MAX_REFUSAL_BYTES)
    findings.push(
      `a refusal of ${answer.bytes.toLocaleString('en-GB')} bytes, over ${MAX_REFUSAL_BYTES.toLocaleString('en-GB')}`,
    );
  // A streamed export that failed part way ends its body with an error rather than its last row.
  if (answer.status < 300 && body?.error !== undefined)
    findings.push('a streamed answer ended in an error');
  let refusal: string | null = null;
  if (answer.status >= 300 || refusedLate) {
    if (code) refusal = code;
    else if (input.page && html) refusal = `HTML ${answer.status}`;
    else if (answer.type === '' && answer.text === '' && [400, 414, 431].includes(answer.status)) {
      // A request line Node's HTTP parser refuses (raw bytes over 0x7f in the path, a URL past its
      // 16 KiB header limit) is answered by Node itself, bare, before any server code: not HTTP
      // that a route could have read, so counted apart rather than held to the JSON rule.
      refusal = `Node's HTTP parser (a bare ${answer.status})`;
    } else if (html && answer.status === 404 && answer.text.includes('govuk-template')) {
      // A browser (accept: text/html) at an address the gateway has no page for gets the
      // dashboard's own "Page not found"; any other client gets JSON (dashboard/routes.ts).
      refusal = "the dashboard's Page not found";
    } else if (html && answer.status === 404 && answer.text.includes('<pre>Cannot ')) {
      refusal = "Express's HTML 404";
      findings.push(NO_ROUTE);
    } else {
      refusal = `${answer.status} ${answer.type.split(';')[0] || 'without a type'}`;
      findings.push(
        `refused with ${answer.status} ${answer.type || 'no content type'}, not JSON with errors[0].extensions.code`,
      );
    }
  } else if (code) {
    // A 200 whose errors say why nothing (or not everything) was answered: GraphQL's own way to refuse.
    refusal = `${code} (in a ${answer.status})`;
  }
  const accepted = input.write && answer.status < 300 && code === null;
  if (accepted) findings.push('a write was accepted');
  return { refusal, accepted, findings };
}
