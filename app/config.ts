import { isIP } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCodecKeys, type CodecKey } from '../temporal/codec';
import type { HttpCompression } from '../api/compression';

/** Repository root, so data and binaries land in the same place whatever the working directory. */
export const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Everything the processes read from the environment, parsed once at boot. */
export interface Config {
  env: 'development' | 'test' | 'production';
  port: number;
  host: string;
  publicUrl: string;
  dataDir: string;
  /** null: start an embedded PostgreSQL under dataDir. */
  databaseUrl: string | null;
  embeddedPostgresPort: number;
  /** null: start a Temporal dev server. */
  temporalAddress: string | null;
  temporalNamespace: string;
  taskQueue: string;
  temporalDevPort: number;
  temporalUiPort: number;
  temporalUiUrl: string | null;
  resendApiKey: string | null;
  resendBaseUrl: string | null;
  emailFrom: string;
  seedDemo: boolean;
  demoPassword: string;
  authSecret: string | null;
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  requestLifetimeHours: number;
  corsOrigins: string[];
  logLevel: string;
  /** Express's `trust proxy`: which hops' X-Forwarded-For is believed when telling clients apart. */
  trustProxy: TrustProxy;
  /** Availability questions per network address per minute (a 62-day question counts as 9); 0 turns it off. */
  availabilityPerMinute: number;
  /** SIGNUP_ENABLED: anyone may create a practice from the web (POST /api/practices, /app/signup); off by default. */
  signupEnabled: boolean;
  /** TEMPORAL_CODEC_KEYS: the payload keys, the first the current one; null: a development key under dataDir. */
  codecKeys: CodecKey[] | null;
  /** TEMPORAL_CODEC_OPERATOR_TOKEN: lets an operator (or the Temporal UI) use /codec without a staff session. */
  codecOperatorToken: string | null;
  /** API_PROCESSES: HTTP processes `npm run api` runs on the one port (node:cluster); 1 runs no primary. */
  apiProcesses: number;
  /** HTTP_COMPRESSION: how answers over 1 kB are compressed (see api/compression.ts). */
  httpCompression: HttpCompression;
  /** AVAILABILITY_CACHE: keep practices, clinicians' rules and preferences in memory, checked per question. */
  availabilityCache: boolean;
  /**
   * WORKER_MAX_CACHED_WORKFLOWS: open workflows a worker keeps in memory between their tasks. Fewer means less RSS;
   * a workflow pushed out replays its history on its next task (CPU on that task instead of memory all week).
   */
  workerMaxCachedWorkflows: number;
  /** METRICS_PORT: the API's HTTP metrics (/metrics) on a listener of their own at HOST; null: not collected. */
  metricsPort: number | null;
  /**
   * TEMPORAL_METRICS_PORT: the Temporal SDK runtime's Prometheus exporter (workers, and the API's client); null: off.
   * With API_PROCESSES > 1 each API process takes the next port (this one up to this + API_PROCESSES - 1).
   */
  temporalMetricsPort: number | null;
}

/** Express trust-proxy values: all or none, a hop count, or addresses, CIDRs and Express's named ranges. */
export type TrustProxy = boolean | number | string[];

/** A bad or missing environment value; the message names the variable. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    detail: string,
  ) {
    super(`Configuration error: ${variable} ${detail}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function str(env: Env, name: string, fallback: string): string {
  const v = env[name];
  return v === undefined || v === '' ? fallback : v;
}

function optional(env: Env, name: string): string | null {
  const v = env[name];
  return v === undefined || v === '' ? null : v;
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${n}`);
  return n;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

function url(env: Env, name: string, fallback: string | null): string | null {
  const raw = optional(env, name) ?? fallback;
  if (raw === null) return null;
  try {
    const u = new URL(raw);
    if (!['http:', 'https:', 'postgres:', 'postgresql:'].includes(u.protocol)) throw new Error();
  } catch {
    throw new ConfigError(name, `must be a URL, got "${raw}"`);
  }
  return raw.replace(/\/+$/, '');
}

function hostPort(env: Env, name: string): string | null {
  const raw = optional(env, name);
  if (raw === null) return null;
  if (!/^[A-Za-z0-9.\-_[\]:]+:\d{1,5}$/.test(raw))
    throw new ConfigError(name, `must be host:port, got "${raw}"`);
  return raw;
}

const NAMED_RANGES = ['loopback', 'linklocal', 'uniquelocal'];

function cidr(entry: string): boolean {
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * TRUST_PROXY, checked here because Express only finds a bad address on the first request. Unset: nothing is
 * trusted in production (the API may face the internet directly; a proxy in front must be named), loopback
 * elsewhere (the dev server and tests forward through localhost).
 */
function trustProxy(env: Env, production: boolean): TrustProxy {
  const raw = optional(env, 'TRUST_PROXY')?.trim();
  if (raw === undefined || raw === '') return production ? false : ['loopback'];
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw);
    if (hops > 10) throw new ConfigError('TRUST_PROXY', `must be a hop count between 0 and 10, got ${hops}`);
    return hops;
  }
  const entries = raw.split(',').map((s) => s.trim());
  const bad = entries.find((e) => !NAMED_RANGES.includes(e) && !cidr(e));
  if (bad !== undefined)
    throw new ConfigError(
      'TRUST_PROXY',
      `must be true, false, a hop count, or comma-separated addresses, CIDRs or ${NAMED_RANGES.join('/')}; "${bad}" is none of these`,
    );
  return entries;
}

/** TEMPORAL_CODEC_KEYS, parsed here so a bad key stops the process at boot rather than at the first workflow. */
function codecKeyList(env: Env): CodecKey[] | null {
  const raw = optional(env, 'TEMPORAL_CODEC_KEYS');
  if (raw === null) return null;
  try {
    return parseCodecKeys(raw);
  } catch (err) {
    throw new ConfigError('TEMPORAL_CODEC_KEYS', (err as Error).message);
  }
}

/**
 * HTTP_COMPRESSION: `off`, `gzip:<1-9>`, or `brotli:<0-11>` (brotli for clients that accept it, gzip at level 1
 * for the rest). Unset: `brotli:4`, chosen by bench/availabilityThroughput.bench.ts: a week of slots in a third of
 * gzip 1's bytes, and a repeated answer is compressed once, so brotli's dearer compression is paid per change.
 */
function httpCompression(env: Env): HttpCompression {
  const raw = str(env, 'HTTP_COMPRESSION', 'brotli:4').trim();
  if (raw === 'off') return null;
  const m = /^(gzip|brotli):(\d{1,2})$/.exec(raw);
  const level = m ? Number(m[2]) : NaN;
  if (m && m[1] === 'gzip' && level >= 1 && level <= 9) return { gzip: level, brotli: null };
  if (m && m[1] === 'brotli' && level <= 11) return { gzip: 1, brotli: level };
  throw new ConfigError('HTTP_COMPRESSION', `must be off, gzip:<1-9> or brotli:<0-11>, got "${raw}"`);
}

/**
 * Measured in bench/results/workerMemory.md: RSS grows by 0.3–0.4 MB per cached request workflow over an idle
 * worker's 380 MB, and an evicted one costs its next task a replay of about 15 ms of worker CPU, so 1,000 keeps a
 * worker near 700 MB however many requests are open. The SDK's own default follows the heap limit (2,310 on a
 * 4 GiB heap: about 1.3 GB once that many are open), not the memory the worker is given.
 */
export const DEFAULT_WORKER_MAX_CACHED_WORKFLOWS = 1000;

/** Reads and validates the environment; throws ConfigError naming the first bad variable. */
export function loadConfig(env: Env = process.env): Config {
  const nodeEnv = str(env, 'NODE_ENV', 'development');
  if (!['development', 'test', 'production'].includes(nodeEnv)) {
    throw new ConfigError('NODE_ENV', `must be development, test or production, got "${nodeEnv}"`);
  }
  const production = nodeEnv === 'production';
  const port = int(env, 'PORT', 3000, 0, 65535);
  const dataDir = path.resolve(rootDir, str(env, 'DATA_DIR', '.data'));
  const databaseUrl = url(env, 'DATABASE_URL', null);
  const temporalAddress = hostPort(env, 'TEMPORAL_ADDRESS');
  const authSecret = optional(env, 'AUTH_SECRET');
  if (production && !databaseUrl)
    throw new ConfigError('DATABASE_URL', 'is required when NODE_ENV=production');
  if (production && !temporalAddress)
    throw new ConfigError('TEMPORAL_ADDRESS', 'is required when NODE_ENV=production');
  if (production && !authSecret) throw new ConfigError('AUTH_SECRET', 'is required when NODE_ENV=production');
  if (authSecret !== null && authSecret.length < 32)
    throw new ConfigError('AUTH_SECRET', 'must be at least 32 characters');
  const codecKeys = codecKeyList(env);
  if (production && !codecKeys)
    throw new ConfigError('TEMPORAL_CODEC_KEYS', 'is required when NODE_ENV=production');
  const codecOperatorToken = optional(env, 'TEMPORAL_CODEC_OPERATOR_TOKEN');
  if (codecOperatorToken !== null && !/^[\x21-\x7e]{32,}$/.test(codecOperatorToken))
    throw new ConfigError(
      'TEMPORAL_CODEC_OPERATOR_TOKEN',
      'must be at least 32 printable characters without spaces',
    );
  const temporalUiPort = int(env, 'TEMPORAL_UI_PORT', 8233, 1, 65535);
  const seedDemo = bool(env, 'SEED_DEMO', !production);
  if (production && seedDemo) throw new ConfigError('SEED_DEMO', 'must not be true when NODE_ENV=production');
  const emailFrom = str(env, 'EMAIL_FROM', 'Practice booking <booking@practicepicnic.test>');
  if (!/@/.test(emailFrom))
    throw new ConfigError('EMAIL_FROM', `must contain an email address, got "${emailFrom}"`);
  return {
    env: nodeEnv as Config['env'],
    port,
    host: str(env, 'HOST', production ? '0.0.0.0' : '127.0.0.1'),
    publicUrl: url(env, 'PUBLIC_URL', `http://localhost:${port}`)!,
    dataDir,
    databaseUrl,
    embeddedPostgresPort: int(env, 'EMBEDDED_PG_PORT', 54329, 1, 65535),
    temporalAddress,
    temporalNamespace: str(env, 'TEMPORAL_NAMESPACE', 'default'),
    taskQueue: str(env, 'TEMPORAL_TASK_QUEUE', 'booking'),
    temporalDevPort: int(env, 'TEMPORAL_DEV_PORT', 7233, 1, 65535),
    temporalUiPort,
    temporalUiUrl: url(env, 'TEMPORAL_UI_URL', temporalAddress ? null : `http://localhost:${temporalUiPort}`),
    resendApiKey: optional(env, 'RESEND_API_KEY'),
    resendBaseUrl: url(env, 'RESEND_BASE_URL', null),
    emailFrom,
    seedDemo,
    demoPassword: str(env, 'DEMO_PASSWORD', 'demo-password-123'),
    authSecret,
    sessionIdleMinutes: int(env, 'SESSION_IDLE_MINUTES', 30, 1, 24 * 60),
    sessionMaxHours: int(env, 'SESSION_MAX_HOURS', 12, 1, 24 * 30),
    requestLifetimeHours: int(env, 'REQUEST_LIFETIME_HOURS', 168, 1, 24 * 90),
    corsOrigins: (optional(env, 'CORS_ORIGINS') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    logLevel: str(env, 'LOG_LEVEL', nodeEnv === 'test' ? 'warn' : 'info'),
    trustProxy: trustProxy(env, production),
    availabilityPerMinute: int(env, 'AVAILABILITY_PER_MINUTE', 60, 0, 100_000),
    signupEnabled: bool(env, 'SIGNUP_ENABLED', false),
    codecKeys,
    codecOperatorToken,
    apiProcesses: int(env, 'API_PROCESSES', 1, 1, 64),
    httpCompression: httpCompression(env),
    availabilityCache: bool(env, 'AVAILABILITY_CACHE', true),
    // 0 turns the cache off (every task replays); the SDK itself refuses 1. Upper bound: far past any 1 GB worker.
    workerMaxCachedWorkflows: workerCache(env),
    ...metricsPorts(env, port),
  };
}

function workerCache(env: Env): number {
  const n = int(env, 'WORKER_MAX_CACHED_WORKFLOWS', DEFAULT_WORKER_MAX_CACHED_WORKFLOWS, 0, 100_000);
  if (n === 1)
    throw new ConfigError('WORKER_MAX_CACHED_WORKFLOWS', 'must be 0 (no cache) or at least 2, got 1');
  return n;
}

/**
 * METRICS_PORT and TEMPORAL_METRICS_PORT, checked against each other and PORT here: a clash would otherwise surface as
 * EADDRINUSE in one process of several, or (the SDK's exporter binds in native code) as a worker that will not start.
 * The SDK's exporter binds an IP address, not a name, so HOST must be one (or localhost) when it is on.
 */
function metricsPorts(env: Env, port: number): Pick<Config, 'metricsPort' | 'temporalMetricsPort'> {
  const metricsPort = optional(env, 'METRICS_PORT') === null ? null : int(env, 'METRICS_PORT', 0, 1, 65535);
  const processes = int(env, 'API_PROCESSES', 1, 1, 64);
  if (metricsPort !== null && metricsPort === port)
    throw new ConfigError(
      'METRICS_PORT',
      `must differ from PORT (${port}): metrics are not served to the public`,
    );
  if (optional(env, 'TEMPORAL_METRICS_PORT') === null) return { metricsPort, temporalMetricsPort: null };
  const first = int(env, 'TEMPORAL_METRICS_PORT', 0, 1, 65535);
  const last = first + processes - 1;
  const range = processes > 1 ? `${first}-${last} (one port per API process)` : String(first);
  if (last > 65535)
    throw new ConfigError(
      'TEMPORAL_METRICS_PORT',
      `with API_PROCESSES=${processes} needs ports up to ${last}`,
    );
  if (port >= first && port <= last)
    throw new ConfigError('TEMPORAL_METRICS_PORT', `${range} must not include PORT (${port})`);
  if (metricsPort !== null && metricsPort >= first && metricsPort <= last)
    throw new ConfigError('TEMPORAL_METRICS_PORT', `${range} must not include METRICS_PORT (${metricsPort})`);
  const host = str(env, 'HOST', '');
  if (host !== '' && host !== 'localhost' && isIP(host) === 0)
    throw new ConfigError(
      'TEMPORAL_METRICS_PORT',
      `needs HOST to be an IP address or localhost, got "${host}"`,
    );
  return { metricsPort, temporalMetricsPort: first };
}

/** Where the SDK's exporter binds: an IP address and port (it takes no host names). */
export function temporalMetricsBindAddress(config: Pick<Config, 'host'>, port: number): string {
  const ip = config.host === 'localhost' ? '127.0.0.1' : config.host;
  return isIP(ip) === 6 ? `[${ip}]:${port}` : `${ip}:${port}`;
}
