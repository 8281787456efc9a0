/**
 * The Temporal server's and the UI server's config files for the cluster: persistence and SQL visibility on
 * PostgreSQL, all four services in one process, and every port set (ports.ts says why).
 */
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { rootDir } from '../../app/config';
import type { TemporalPorts } from './ports';
import { HISTORY_SHARDS, NAMESPACE, SQL_PLUGIN } from './versions';

/** The env name the server is started with (`--env cluster` reads config/cluster.yaml). */
export const SERVER_ENV = 'cluster';

/** Temporal's own database connection. */
export interface TemporalDatabase {
  port: number;
  user: string;
  password: string;
}

/** The server config as an object (test/tools/cluster.test.ts checks its ports). */
export function serverConfig(ports: TemporalPorts, db: TemporalDatabase, dynamicConfigFile: string) {
  const store = (databaseName: string, maxConns: number) => ({
    sql: {
      pluginName: SQL_PLUGIN,
      databaseName,
      connectAddr: `127.0.0.1:${db.port}`,
      connectProtocol: 'tcp',
      user: db.user,
      password: db.password,
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  const rpc = (grpcPort: number, membershipPort: number, extra: Record<string, number> = {}) => ({
    rpc: { grpcPort, membershipPort, bindOnLocalHost: true, ...extra },
  });
  return {
    log: { stdout: true, level: 'warn' },
    persistence: {
      defaultStore: 'default',
      visibilityStore: 'visibility',
      numHistoryShards: HISTORY_SHARDS,
      datastores: { default: store('temporal', 20), visibility: store('temporal_visibility', 10) },
    },
    global: {
      membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' },
      // 0 turns pprof off (its stock port 7936 is one of those that collide).
      pprof: { port: 0 },
      metrics: { prometheus: { timerType: 'histogram', listenAddress: `127.0.0.1:${ports.metrics}` } },
    },
    services: {
      frontend: rpc(ports.frontend, ports.frontendMembership, { httpPort: ports.frontendHttp }),
      history: rpc(ports.history, ports.historyMembership),
      matching: rpc(ports.matching, ports.matchingMembership),
      worker: rpc(ports.worker, ports.workerMembership),
    },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: {
        active: {
          enabled: true,
          initialFailoverVersion: 1,
          rpcName: 'frontend',
          rpcAddress: `127.0.0.1:${ports.frontend}`,
          httpAddress: `127.0.0.1:${ports.frontendHttp}`,
        },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    dynamicConfigClient: { filepath: dynamicConfigFile, pollInterval: '10s' },
  };
}

/** The UI server's config: the frontend, its own port, and the API's codec endpoint for decrypting payloads. */
export function uiConfig(opts: { temporalPort: number; port: number; codecEndpoint: string }) {
  return {
    temporalGrpcAddress: `127.0.0.1:${opts.temporalPort}`,
    host: '127.0.0.1',
    port: opts.port,
    enableUi: true,
    defaultNamespace: NAMESPACE.name,
    notifyOnNewVersion: false,
    refreshInterval: '1m',
    cors: { allowOrigins: [], cookieInsecure: true },
    codec: { endpoint: opts.codecEndpoint, passAccessToken: false, includeCredentials: false },
    auth: { enabled: false },
  };
}

/** Writes both configs under dir (config/cluster.yaml for the server, ui/config/cluster.yaml for the UI). */
export function writeConfigs(
  dir: string,
  opts: { ports: TemporalPorts; db: TemporalDatabase; uiPort: number; codecEndpoint: string },
): { serverRoot: string; uiRoot: string } {
  const serverRoot = path.join(dir, 'temporal');
  const uiRoot = path.join(dir, 'ui');
  fs.mkdirSync(path.join(serverRoot, 'config'), { recursive: true });
  fs.mkdirSync(path.join(uiRoot, 'config'), { recursive: true });
  // The same dynamic config as compose's server (search attributes usable as soon as they are added).
  const dynamic = path.join(serverRoot, 'config', 'dynamic.yaml');
  fs.copyFileSync(path.join(rootDir, 'temporal', 'dynamicconfig', 'development-sql.yaml'), dynamic);
  const write = (file: string, value: unknown) => fs.writeFileSync(file, stringify(value), { mode: 0o600 });
  write(path.join(serverRoot, 'config', `${SERVER_ENV}.yaml`), serverConfig(opts.ports, opts.db, dynamic));
  write(
    path.join(uiRoot, 'config', `${SERVER_ENV}.yaml`),
    uiConfig({ temporalPort: opts.ports.frontend, port: opts.uiPort, codecEndpoint: opts.codecEndpoint }),
  );
  return { serverRoot, uiRoot };
}
