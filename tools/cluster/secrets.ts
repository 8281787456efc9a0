/**
 * The cluster's secrets, generated on its first start into <data>/secrets.json (mode 0600) and reused after, so a
 * second run signs the same sessions, decrypts the same workflow payloads and logs in to the same databases.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { formatCodecKeys, generateCodecKey } from '../../temporal/codec';

/** Everything secret the processes of one cluster share. */
export interface ClusterSecrets {
  /** AUTH_SECRET of every API and worker (sessions, links, one-time codes). */
  authSecret: string;
  /** TEMPORAL_CODEC_KEYS (workflow payload encryption). */
  codecKeys: string;
  /** TEMPORAL_CODEC_OPERATOR_TOKEN: the Temporal UI decrypts through /codec/operator/<token>. */
  codecOperatorToken: string;
  /** The demo practice's staff password (the seed's accounts). */
  demoPassword: string;
  /** PostgreSQL passwords of the app's and Temporal's roles. */
  bookingDbPassword: string;
  temporalDbPassword: string;
}

const token = (bytes: number) => randomBytes(bytes).toString('base64url');

/** The secrets in dataDir, created (each missing one) on first use. */
export function loadOrCreateSecrets(dataDir: string): ClusterSecrets {
  const file = path.join(dataDir, 'secrets.json');
  const existing = fs.existsSync(file)
    ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<ClusterSecrets>)
    : {};
  const secrets: ClusterSecrets = {
    authSecret: existing.authSecret ?? token(48),
    codecKeys: existing.codecKeys ?? formatCodecKeys([generateCodecKey('cluster-1')]),
    codecOperatorToken: existing.codecOperatorToken ?? token(32),
    demoPassword: existing.demoPassword ?? token(12),
    bookingDbPassword: existing.bookingDbPassword ?? token(24),
    temporalDbPassword: existing.temporalDbPassword ?? token(24),
  };
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, JSON.stringify(secrets, null, 2) + '\n', { mode: 0o600 });
  return secrets;
}
