import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import {
  METADATA_ENCODING_KEY,
  type DataConverter,
  type Payload,
  type PayloadCodec,
} from '@temporalio/common';
import proto from '@temporalio/proto';

/** One AES-256 key and the id written next to what it encrypted, so a later key list can still find it. */
export interface CodecKey {
  id: string;
  key: Buffer;
}

/** The payload encoding this codec writes; anything else (histories from before the codec) passes through. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
/** The metadata field naming the key a payload was encrypted with. */
export const KEY_ID_METADATA = 'encryption-key-id';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = /^[A-Za-z0-9_.-]{1,64}$/;
const PayloadProto = proto.temporal.api.common.v1.Payload;

/**
 * Parses TEMPORAL_CODEC_KEYS: `id:base64key,id2:base64key`, each key 32 bytes, the first the one new payloads
 * are encrypted with. Throws an Error whose message names what is wrong but never quotes a key.
 */
export function parseCodecKeys(raw: string): CodecKey[] {
  const entries = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new Error('must list at least one key as id:base64key');
  const keys = entries.map((entry, i) => {
    const colon = entry.indexOf(':');
    const id = colon < 0 ? '' : entry.slice(0, colon);
    if (!KEY_ID.test(id))
      throw new Error(`entry ${i + 1} must be id:base64key with an id of letters, digits, _ . or -`);
    const material = entry.slice(colon + 1);
    const key = Buffer.from(material, 'base64');
    if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(material) || key.length !== 32)
      throw new Error(`key "${id}" must be 32 bytes written in base64 (openssl rand -base64 32)`);
    return { id, key };
  });
  const ids = new Set(keys.map((k) => k.id));
  if (ids.size !== keys.length) throw new Error('lists a key id twice');
  return keys;
}

/** Writes a key list in TEMPORAL_CODEC_KEYS form. */
export function formatCodecKeys(keys: CodecKey[]): string {
  return keys.map((k) => `${k.id}:${k.key.toString('base64')}`).join(',');
}

/** A fresh random key with the given id. */
export function generateCodecKey(id: string): CodecKey {
  return { id, key: randomBytes(32) };
}

/** A payload this process cannot decrypt: its key is not in the list, or the ciphertext was tampered with. */
export class CodecKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CodecKeyError';
  }
}

const utf8 = (s: string) => new TextEncoder().encode(s);

/**
 * AES-256-GCM over each whole payload (its metadata too, so the encoding and type of a value leak nothing). The
 * key id rides in the clear as associated data: changing it fails authentication rather than decrypting with
 * another key.
 */
export class AesGcmCodec implements PayloadCodec {
  private readonly current: CodecKey;
  private readonly byId: Map<string, Buffer>;

  constructor(keys: CodecKey[]) {
    if (keys.length === 0) throw new Error('AesGcmCodec needs at least one key');
    this.current = keys[0];
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.encrypt(payload));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.decrypt(payload));
  }

  encrypt(payload: Payload): Payload {
    const { id, key } = this.current;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(id));
    const plain = PayloadProto.encode(payload).finish();
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return {
      metadata: { [METADATA_ENCODING_KEY]: utf8(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: utf8(id) },
      data: Buffer.concat([iv, body, cipher.getAuthTag()]),
    };
  }

  decrypt(payload: Payload): Payload {
    const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
    if (!encoding || Buffer.from(encoding).toString() !== ENCRYPTED_ENCODING) return payload;
    const idBytes = payload.metadata?.[KEY_ID_METADATA];
    const id = idBytes ? Buffer.from(idBytes).toString() : '';
    const key = this.byId.get(id);
    if (!key) throw new CodecKeyError(`No codec key "${id}" in TEMPORAL_CODEC_KEYS to decrypt this payload`);
    const data = Buffer.from(payload.data ?? new Uint8Array());
    if (data.length < IV_BYTES + TAG_BYTES) throw new CodecKeyError('Encrypted payload is truncated');
    const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(id));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    let plain: Buffer;
    try {
      plain = Buffer.concat([
        decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)),
        decipher.final(),
      ]);
    } catch {
      throw new CodecKeyError(`Payload encrypted with key "${id}" does not authenticate`);
    }
    return PayloadProto.decode(plain);
  }
}

/** Where the worker (and the workflow bundle) load the failure converter from. */
export const failureConverterPath = fileURLToPath(new URL('./failureConverter.ts', import.meta.url));

/**
 * The data converter every Temporal client and worker of the project uses: payloads encrypted, and failure
 * messages and stack traces moved into an encoded payload (the failure converter, loaded by path because the
 * worker's workflow sandbox loads it too) so they are encrypted as well.
 */
export function codecDataConverter(keys: CodecKey[]): DataConverter {
  return { payloadCodecs: [new AesGcmCodec(keys)], failureConverterPath };
}
