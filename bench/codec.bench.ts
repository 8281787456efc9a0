/**
 * What the payload codec (temporal/codec.ts) costs per appointment request: every payload of one whole request's
 * life, taken from a recorded history (submitted, clinician and client notified, declined with a kept note, outcome
 * emailed), encrypted and decrypted once each, as the client and worker do; beside it the same payloads with the
 * codec off (the SDK's JSON conversion alone, which runs either way).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import proto from '@temporalio/proto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { AesGcmCodec, generateCodecKey, parseCodecKeys } from '../temporal/codec';
import { TEST_CODEC_KEYS } from '../test/support/codecKeys';

const here = dirname(fileURLToPath(import.meta.url));
const HISTORY = '6dd5be9-request-declined-with-note.history.bin';

function payloadsIn(value: unknown, out: Payload[] = []): Payload[] {
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return out;
  const v = value as Record<string, unknown>;
  if (v.metadata && typeof v.metadata === 'object' && 'data' in v) out.push(v as Payload);
  for (const [key, child] of Object.entries(v))
    if (key !== 'searchAttributes' && key !== 'patch-data') payloadsIn(child, out);
  return out;
}

const history = proto.temporal.api.history.v1.History.decode(
  readFileSync(join(here, '..', 'test', 'workflows', 'histories', HISTORY)),
);
// The request's own payloads in the clear, as the SDK hands them to the codec.
const plain = await new AesGcmCodec(parseCodecKeys(TEST_CODEC_KEYS)).decode(payloadsIn(history));
const values = plain.map((p) => defaultPayloadConverter.fromPayload(p));
const bytes = plain.reduce((n, p) => n + (p.data?.length ?? 0), 0);
const codec = new AesGcmCodec([generateCodecKey('bench')]);

/** One request's payloads through the SDK's conversion, with the codec on or off. */
async function oneRequest(on: boolean): Promise<void> {
  const payloads = values.map((v) => defaultPayloadConverter.toPayload(v));
  const sent = on ? await codec.encode(payloads) : payloads;
  const received = on ? await codec.decode(sent) : sent;
  for (const p of received) defaultPayloadConverter.fromPayload(p);
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function measure(on: boolean, runs: number) {
  for (let i = 0; i < 500; i++) await oneRequest(on);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    await oneRequest(on);
    times.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
  times.sort((a, b) => a - b);
  return { medianUs: quantile(times, 0.5), p95Us: quantile(times, 0.95), runs };
}

const RUNS = 5000;
const off = await measure(false, RUNS);
const on = await measure(true, RUNS);
const codecUs = on.medianUs - off.medianUs;
const result = {
  history: HISTORY,
  payloadsPerRequest: plain.length,
  plainBytesPerRequest: bytes,
  off,
  on,
  codecMedianUsPerRequest: Number(codecUs.toFixed(1)),
  codecMedianUsPerPayload: Number((codecUs / plain.length).toFixed(2)),
  machine: `${cpus()[0]?.model ?? 'unknown'}, ${cpus().length} cores, Node ${process.version}`,
};
const fmt = (n: number) => n.toFixed(1);
const md = `# Payload codec benchmark

Produced by \`npm run bench\` (bench/codec.bench.ts) on ${result.machine}.
One appointment request's whole life in payloads (${plain.length} payloads, ${bytes} bytes of JSON, from
test/workflows/histories/${HISTORY}: the input, activity inputs and results, the decline update's argument and
answer, the workflow's result), each converted to a payload and back as the SDK does; with the codec on, each is
also encrypted once and decrypted once (AES-256-GCM, a fresh IV each). ${RUNS} measured runs after 500 warm-up.
The machine is shared, so p95 carries others' noise.

| codec | median µs per request | p95 µs per request |
|---|---:|---:|
| off (JSON conversion only) | ${fmt(off.medianUs)} | ${fmt(off.p95Us)} |
| on (AES-256-GCM) | ${fmt(on.medianUs)} | ${fmt(on.p95Us)} |

The codec adds about ${fmt(codecUs)} µs of CPU per request (${result.codecMedianUsPerPayload} µs per payload), spread over the
API and the worker. For scale: the load benchmark (load.md) takes about 40 submissions/s on these 2 cores, so about
50 ms of CPU per request across the whole stack; the codec is ${((codecUs / 50_000) * 100).toFixed(1)}% of that.
`;
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', 'codec.json'), `${JSON.stringify(result, null, 2)}\n`);
writeFileSync(join(here, 'results', 'codec.md'), md);
console.log(md);
