import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import compression from 'compression';
import type { Request, RequestHandler, Response } from 'express';

/** Off, or the encodings offered with their levels (gzip 1–9, brotli quality 0–11 when offered). */
export type HttpCompression = { gzip: number; brotli: number | null } | null;

/** Answers smaller than this go as they are: the headers would eat what compression saves. */
export const THRESHOLD = 1024;
// Compressed copies kept of repeated answers: a few hundred weeks of slots.
const ENCODED_BYTES = 16 * 1024 * 1024;

/**
 * Compression of every answer over 1 kB, as HTTP_COMPRESSION says: gzip at its level, brotli at its quality
 * when set and the client accepts it (else gzip), nothing when off. Vary: Accept-Encoding on whatever may be
 * compressed, so a shared cache never hands a gzip body to a client that did not ask for one.
 */
export function compressionMiddleware(setting: HttpCompression): RequestHandler {
  if (setting === null) return (_req, _res, next) => next();
  const compress = compression({
    threshold: THRESHOLD,
    level: setting.gzip,
    brotli: { params: { [constants.BROTLI_PARAM_QUALITY]: setting.brotli ?? 4 } },
  });
  if (setting.brotli !== null) return compress;
  // The package offers brotli whenever a client accepts it; without a brotli quality set, only gzip is offered.
  return (req, res, next) => {
    const accepted = req.headers['accept-encoding'];
    if (accepted && /\bbr\b/i.test(accepted))
      req.headers['accept-encoding'] = accepted
        .split(',')
        .filter((e) => !/^\s*br\s*(;|$)/i.test(e))
        .join(',');
    compress(req, res, next);
  };
}

/**
 * Sends a JSON text that is often sent again (a cached availability answer), compressed once per encoding and
 * kept, instead of once per request as the middleware would: at a thousand answers a second the compression
 * of a week of slots is most of the CPU an answer costs. `key` names the answer; the copy is used only while the
 * text is the same.
 */
export class EncodedAnswers {
  private readonly copies = new Map<string, { body: string; encoded: Buffer }>();
  private bytes = 0;

  constructor(private readonly setting: HttpCompression) {}

  send(req: Request, res: Response, key: string, body: string): void {
    res.type('json');
    const encoding = this.encodingFor(req, res, body);
    if (encoding === null) {
      res.send(body);
      return;
    }
    const id = `${encoding}:${key}`;
    let copy = this.copies.get(id);
    if (!copy || copy.body !== body) {
      copy = { body, encoded: this.encode(encoding, body) };
      this.remember(id, copy);
    }
    // The middleware leaves an answer that already names its encoding alone.
    res.set('Content-Encoding', encoding);
    res.send(copy.encoded);
  }

  private encodingFor(req: Request, res: Response, body: string): 'br' | 'gzip' | null {
    if (this.setting === null || body.length < THRESHOLD) return null;
    res.vary('Accept-Encoding');
    if (this.setting.brotli !== null && req.acceptsEncodings('br') === 'br') return 'br';
    return req.acceptsEncodings('gzip') === 'gzip' ? 'gzip' : null;
  }

  private encode(encoding: 'br' | 'gzip', body: string): Buffer {
    return encoding === 'br'
      ? brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: this.setting!.brotli! } })
      : gzipSync(body, { level: this.setting!.gzip });
  }

  private remember(id: string, copy: { body: string; encoded: Buffer }): void {
    const old = this.copies.get(id);
    if (old) this.bytes -= old.encoded.length;
    this.copies.delete(id);
    this.copies.set(id, copy);
    this.bytes += copy.encoded.length;
    // Map order is insertion order: the oldest copies go first.
    for (const [oldest, c] of this.copies) {
      if (this.bytes <= ENCODED_BYTES) break;
      this.copies.delete(oldest);
      this.bytes -= c.encoded.length;
    }
  }
}
