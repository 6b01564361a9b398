import { type Answer, type Hosts, isWhole } from './hosts.ts';

// The network faults of issue 15, as both the deploy test (which checks them) and bench:faults
// (which measures them) run them. Every wait is bounded.

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends `count` queries one after another with the publisher's link delayed (and lossy); the answers. */
export async function answersUnderLatency(
  hosts: Hosts,
  publisher: string,
  faults: { delayMs: number; loss?: number },
  query: string,
  count: number,
): Promise<Answer[]> {
  await hosts.setFaults(publisher, { delayMs: faults.delayMs, loss: faults.loss ?? 0 });
  try {
    const answers: Answer[] = [];
    for (let i = 0; i < count; i += 1) answers.push(await hosts.query(query));
    return answers;
  } finally {
    await hosts.setFaults(publisher, { delayMs: 0, loss: 0 });
  }
}

export interface Partitioned {
  /** Answers while the link was down. */
  during: Answer[];
  /** Answers after it came up, in order, up to and including the first whole one. */
  after: Answer[];
  /** From the link coming up to the first whole answer, or null when none came within the bound. */
  recoveryMs: number | null;
}

/**
 * Takes the publisher's link down, sends `count` queries, brings it up, then queries one after
 * another until an answer is whole again (at most `healBoundMs`), with no process restarted.
 */
export async function partitionAndHeal(
  hosts: Hosts,
  publisher: string,
  query: string,
  count: number,
  healBoundMs = 15_000,
): Promise<Partitioned> {
  await hosts.partition(publisher);
  const during: Answer[] = [];
  try {
    for (let i = 0; i < count; i += 1) during.push(await hosts.query(query));
  } finally {
    await hosts.heal(publisher);
  }
  const healed = performance.now();
  const after: Answer[] = [];
  while (performance.now() - healed < healBoundMs) {
    const answer = await hosts.query(query);
    after.push(answer);
    if (isWhole(answer)) return { during, after, recoveryMs: performance.now() - healed };
    await pause(100);
  }
  return { during, after, recoveryMs: null };
}

export interface Restarted {
  /** Requests the clients sent (each retried until answered or its bound passed). */
  requests: number;
  /** Of those, answered whole, perhaps after retries. */
  answered: number;
  /** Of those, answered but not whole (an error the client does not retry). */
  failed: number;
  /** Of those, never answered within the bound despite retries. */
  lost: number;
  /** Requests that needed at least one retry, and the retries in all. */
  retriedRequests: number;
  retries: number;
  /** From SIGTERM to the gateway answering again. */
  downtimeMs: number;
}

/** A failure a client retries: no connection, a connection cut, or 503 (shed, or not ready yet). */
const isRetryable = (outcome: Answer | Error) =>
  outcome instanceof Error || outcome.status === 503 || outcome.status === 502;

/**
 * Runs `clients` clients sending the query back to back, each request retried every `retryEveryMs`
 * on connection errors and 503 for up to `retryBoundMs`, while the gateway is stopped with SIGTERM
 * and started again; the publishers keep running throughout.
 */
export async function restartGatewayUnderLoad(
  hosts: Hosts,
  query: string,
  options: { clients?: number; retryEveryMs?: number; retryBoundMs?: number } = {},
): Promise<Restarted> {
  const { clients = 2, retryEveryMs = 100, retryBoundMs = 60_000 } = options;
  const figures: Omit<Restarted, 'downtimeMs'> = {
    requests: 0,
    answered: 0,
    failed: 0,
    lost: 0,
    retriedRequests: 0,
    retries: 0,
  };
  let running = true;
  const one = async () => {
    figures.requests += 1;
    const started = performance.now();
    for (let attempt = 0; ; attempt += 1) {
      const outcome = await hosts
        .query(query, { timeoutMs: 20_000 })
        .catch((error: Error) => error);
      if (!isRetryable(outcome)) {
        if (isWhole(outcome as Answer)) figures.answered += 1;
        else figures.failed += 1;
        break;
      }
      if (performance.now() - started > retryBoundMs) {
        figures.lost += 1;
        break;
      }
      if (attempt === 0) figures.retriedRequests += 1;
      figures.retries += 1;
      await pause(retryEveryMs);
    }
  };
  const client = async () => {
    while (running) await one();
  };
  const load = Array.from({ length: clients }, client);
  try {
    await pause(500);
    const stopped = performance.now();
    await hosts.stopGateway();
    await hosts.startGateway();
    const downtimeMs = performance.now() - stopped;
    await pause(500);
    running = false;
    await Promise.all(load);
    return { ...figures, downtimeMs };
  } finally {
    running = false;
  }
}
