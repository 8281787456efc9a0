/**
 * Every port the cluster listens on, set explicitly: the stock Temporal config leaves http, pprof and metrics on
 * fixed defaults (7243, 7936, 8000, …) that collide with other things on a shared machine.
 */
import net from 'node:net';
import { DEFAULT_PORTS } from './versions';

/** The Temporal server's own ports: gRPC and membership (ringpop) per service, plus HTTP and metrics. */
export interface TemporalPorts {
  frontend: number;
  frontendMembership: number;
  frontendHttp: number;
  history: number;
  historyMembership: number;
  matching: number;
  matchingMembership: number;
  worker: number;
  workerMembership: number;
  /** The server's Prometheus endpoint. */
  metrics: number;
}

/** Every address of one cluster. */
export interface ClusterPorts {
  postgres: number;
  temporal: TemporalPorts;
  ui: number;
  apis: { http: number; metrics: number; temporalMetrics: number }[];
  workers: { temporalMetrics: number }[];
}

/** The Temporal server's ports laid out after its frontend port (all inside the cluster's 7300–7399 by default). */
export function temporalPortsFrom(frontend: number): TemporalPorts {
  return {
    frontend,
    frontendMembership: frontend + 1,
    history: frontend + 2,
    historyMembership: frontend + 3,
    matching: frontend + 4,
    matchingMembership: frontend + 5,
    worker: frontend + 6,
    workerMembership: frontend + 7,
    frontendHttp: frontend + 8,
    metrics: frontend + 9,
  };
}

/** Ports from fixed bases: the defaults, or CLUSTER_*_PORT values (ports.test in test/tools/cluster.test.ts). */
export function portsFromBases(
  counts: { apis: number; workers: number },
  bases: Partial<Record<keyof typeof DEFAULT_PORTS, number>> = {},
): ClusterPorts {
  const b = { ...DEFAULT_PORTS, ...bases };
  return {
    postgres: b.postgres,
    temporal: temporalPortsFrom(b.temporal),
    ui: b.ui,
    apis: Array.from({ length: counts.apis }, (_, i) => ({
      http: b.api + i,
      metrics: b.apiMetrics + i,
      temporalMetrics: b.temporalMetrics + i,
    })),
    workers: Array.from({ length: counts.workers }, (_, i) => ({
      temporalMetrics: b.temporalMetrics + counts.apis + i,
    })),
  };
}

/** Ports nothing listens on right now, one per address: for tests, which must not collide with a running cluster. */
export async function ephemeralPorts(counts: { apis: number; workers: number }): Promise<ClusterPorts> {
  const taken = new Set<number>();
  const next = async () => {
    for (;;) {
      const port = await freePort();
      if (!taken.has(port)) {
        taken.add(port);
        return port;
      }
    }
  };
  const temporal = {} as TemporalPorts;
  for (const key of Object.keys(temporalPortsFrom(0)) as (keyof TemporalPorts)[]) {
    // Temporal stores membership ports in a smallint column (cluster_membership.rpc_port): an ephemeral port
    // above 32767 makes the server exit at start ("out of range for type smallint"), so those come from the
    // cluster's own range, clear of the defaults a running `stack:cluster` uses.
    temporal[key] = key.endsWith('Membership') ? await freePortIn(7350, 7399, taken) : await next();
    taken.add(temporal[key]);
  }
  const apis = [];
  for (let i = 0; i < counts.apis; i++)
    apis.push({ http: await next(), metrics: await next(), temporalMetrics: await next() });
  const workers = [];
  for (let i = 0; i < counts.workers; i++) workers.push({ temporalMetrics: await next() });
  return { postgres: await next(), temporal, ui: await next(), apis, workers };
}

/** Every port of a cluster, flat, for "are they distinct" and "is one taken" checks. */
export function allPorts(p: ClusterPorts): number[] {
  return [
    p.postgres,
    ...Object.values(p.temporal),
    p.ui,
    ...p.apis.flatMap((a) => [a.http, a.metrics, a.temporalMetrics]),
    ...p.workers.map((w) => w.temporalMetrics),
  ];
}

/** A port from lo to hi (inclusive) that can be bound now and is not in taken, tried in random order. */
export async function freePortIn(lo: number, hi: number, taken: Set<number>): Promise<number> {
  const candidates = Array.from({ length: hi - lo + 1 }, (_, i) => lo + i)
    .filter((p) => !taken.has(p))
    .sort(() => Math.random() - 0.5);
  for (const port of candidates) if (await canBind(port)) return port;
  throw new Error(`no free port from ${lo} to ${hi}`);
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A port nothing listens on at this moment. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** True when something accepts connections on 127.0.0.1:port. */
export function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
