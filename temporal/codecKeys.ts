import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { formatCodecKeys, generateCodecKey, parseCodecKeys, type CodecKey } from './codec';

/**
 * The payload keys: TEMPORAL_CODEC_KEYS when set; in development a random key kept in DATA_DIR/codec-keys (in
 * the same form), so workflows started before a restart still decrypt after it. Production refuses to start
 * without the variable (app/config.ts), so it never gets here with none.
 */
export function resolveCodecKeys(configured: CodecKey[] | null, dataDir: string): CodecKey[] {
  if (configured) return configured;
  const file = path.join(dataDir, 'codec-keys');
  if (fs.existsSync(file)) return parseCodecKeys(fs.readFileSync(file, 'utf8').trim());
  fs.mkdirSync(dataDir, { recursive: true });
  const keys = [generateCodecKey('dev')];
  fs.writeFileSync(file, formatCodecKeys(keys), { mode: 0o600 });
  return keys;
}

/**
 * `npm start`'s operator token when TEMPORAL_CODEC_OPERATOR_TOKEN is unset: random, kept in DATA_DIR, so the dev
 * server's Web UI (started with it in its codec endpoint) decrypts payloads for whoever runs the stack locally.
 */
export function resolveCodecOperatorToken(configured: string | null, dataDir: string): string {
  if (configured) return configured;
  const file = path.join(dataDir, 'codec-operator-token');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  fs.mkdirSync(dataDir, { recursive: true });
  const token = randomBytes(32).toString('base64url');
  fs.writeFileSync(file, token, { mode: 0o600 });
  return token;
}
