import type { Request, RequestHandler } from 'express';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** What a request is counted under when no route matched it (a label per raw path would grow without bound). */
export const UNMATCHED_ROUTE = '(unmatched)';

/**
 * Seconds. From a cached availability answer (a few ms) past the slowest submission seen under load (bench/results/
 * load.md: p99 under a second); the top buckets catch a stalled database or Temporal.
 */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** The API's HTTP metrics and the process's own (CPU, memory, event loop), in one registry per app. */
export interface HttpMetrics {
  registry: Registry;
  /** First in the app: times every request until its answer is sent. */
  middleware: RequestHandler;
}

/**
 * The route pattern a request matched (`/api/practices/:slug/...`), never its raw path: ids in paths would make a
 * series per id. Express keeps the matched route on the request; a router mounted under a prefix (/codec) adds
 * its mount path, which has no parameters.
 */
function routeLabel(req: Request): string {
  const route = (req as Request & { route?: { path?: unknown } }).route;
  if (route) {
    // One handler for several patterns (the browser app's pages): all of them, as one label.
    const paths: unknown[] = Array.isArray(route.path) ? route.path : [route.path];
    if (paths.every((p) => typeof p === 'string')) return paths.map((p) => `${req.baseUrl}${p}`).join('|');
  }
  // Middleware mounted under a prefix that answered itself (the app's hashed assets): the prefix, which has no
  // parameters. One that passed the request on has had its prefix taken off again by then.
  if (req.baseUrl) return `${req.baseUrl}/*`;
  return UNMATCHED_ROUTE;
}

/**
 * A registry of its own rather than prom-client's global one: tests build several apps in one process, and the
 * cluster primary aggregates exactly what each process's registry holds.
 */
export function createHttpMetrics(): HttpMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const labelNames = ['method', 'route', 'status_code'] as const;
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from a request arriving to its answer being sent, by method, route pattern and status code.',
    labelNames,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'Requests answered, by method, route pattern and status code.',
    labelNames,
    registers: [registry],
  });
  const middleware: RequestHandler = (req, res, next) => {
    const start = process.hrtime.bigint();
    res.once('finish', () => {
      const labels = { method: req.method, route: routeLabel(req), status_code: String(res.statusCode) };
      duration.observe(labels, Number(process.hrtime.bigint() - start) / 1e9);
      requests.inc(labels);
    });
    next();
  };
  return { registry, middleware };
}
