import cluster, { type Worker } from 'node:cluster';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AggregatorRegistry, Registry } from 'prom-client';

/** One process's figures as prom-client hands them between processes. */
type Figures = Awaited<ReturnType<Registry['getMetricsAsJSON']>>;

/** What the listener serves on each scrape. */
type Exposition = () => Promise<string>;

const GET = 'booking:metrics:get';
const GOT = 'booking:metrics:got';
const READY = 'booking:metrics:ready';

/**
 * How long the primary waits for a process's figures. A process busy on a long synchronous task answers late; the
 * scrape goes out without it rather than stall (Prometheus's own scrape timeout is 10 s by default).
 */
const ASK_TIMEOUT_MS = 2_000;

/**
 * The metrics listener: GET /metrics, nothing else, on a port of its own so the public API port never serves them.
 * Resolves once listening, with its address and a stopper.
 */
export async function serveMetrics(
  port: number,
  host: string,
  expose: Exposition,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: metrics are at /metrics\n');
      return;
    }
    expose().then(
      (text) => res.writeHead(200, { 'content-type': Registry.PROMETHEUS_CONTENT_TYPE }).end(text),
      (err: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`${String(err)}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shown}:${address.port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * In an API process forked by the cluster primary: answers the primary's requests for this process's figures, and
 * says when it can. The primary asks only processes that said so, so one still starting (loading its modules,
 * opening its pools) never holds a scrape up.
 */
export function answerClusterScrapes(registry: Registry): void {
  if (!cluster.isWorker || !process.send) return;
  process.on('message', (message: { type?: string; id?: number }) => {
    if (message?.type !== GET) return;
    registry.getMetricsAsJSON().then(
      (metrics) => process.send?.({ type: GOT, id: message.id, metrics }),
      () => process.send?.({ type: GOT, id: message.id, metrics: [] }),
    );
  });
  process.send({ type: READY });
}

/**
 * In the cluster primary: the figures of every ready process added up (counters and histogram buckets summed,
 * prom-client's rule for each default metric), so one scrape target describes the port the load balancer sees.
 * A process that dies takes its counts with it, which Prometheus's rate() reads as a counter reset.
 */
export function clusterExposition(): Exposition {
  const ready = new Set<Worker>();
  const pending = new Map<number, { answers: Figures[]; waiting: Set<Worker>; done: () => void }>();
  let nextId = 0;
  cluster.on('message', (worker: Worker, message: { type?: string; id?: number; metrics?: Figures }) => {
    if (message?.type === READY) ready.add(worker);
    if (message?.type !== GOT || message.id === undefined) return;
    const ask = pending.get(message.id);
    if (!ask || !ask.waiting.delete(worker)) return;
    ask.answers.push(message.metrics ?? []);
    if (ask.waiting.size === 0) ask.done();
  });
  cluster.on('exit', (worker: Worker) => {
    ready.delete(worker);
    for (const ask of pending.values()) if (ask.waiting.delete(worker) && ask.waiting.size === 0) ask.done();
  });
  return async () => {
    const id = nextId++;
    const answers: Figures[] = [];
    const waiting = new Set([...ready].filter((w) => w.isConnected()));
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ASK_TIMEOUT_MS);
      pending.set(id, {
        answers,
        waiting,
        done: () => {
          clearTimeout(timer);
          resolve();
        },
      });
      const ask = pending.get(id)!;
      for (const w of waiting)
        w.send({ type: GET, id }, undefined, undefined, (err: Error | null) => {
          // Its channel closed since isConnected(): it is exiting; the scrape goes on without it.
          if (err && ask.waiting.delete(w) && ask.waiting.size === 0) ask.done();
        });
      if (waiting.size === 0) ask.done();
    });
    pending.delete(id);
    return AggregatorRegistry.aggregate(answers).metrics();
  };
}
