import { expect } from 'chai';
import { defaultPayloadConverter } from '@temporalio/common';
import {
  AesGcmCodec,
  CodecKeyError,
  formatCodecKeys,
  generateCodecKey,
  KEY_ID_METADATA,
  parseCodecKeys,
} from '../../temporal/codec';

describe('payload codec (AES-256-GCM, key id in the metadata)', () => {
  const a = generateCodecKey('a');
  const b = generateCodecKey('b');
  const value = { note: 'Avery Lindqvist, grief after the miscarriage' };
  const payload = () => defaultPayloadConverter.toPayload(value);

  it('encrypts the whole payload with the first key, a fresh IV each time, and decrypts with any listed key', async () => {
    const [one] = await new AesGcmCodec([b, a]).encode([payload()]);
    const [two] = await new AesGcmCodec([b, a]).encode([payload()]);
    expect(Buffer.from(one.metadata![KEY_ID_METADATA]!).toString()).to.equal('b');
    expect(
      Buffer.from(one.data!).equals(Buffer.from(two.data!)),
      'same value, different ciphertext',
    ).to.equal(false);
    const raw = Buffer.concat([
      Buffer.from(one.data!),
      ...Object.values(one.metadata!).map((v) => Buffer.from(v)),
    ]);
    expect(raw.toString('latin1')).to.not.match(/Lindqvist|json\/plain/);
    const [opened] = await new AesGcmCodec([a, b]).decode([one]);
    expect(defaultPayloadConverter.fromPayload(opened)).to.deep.equal(value);
  });

  it('refuses a tampered payload or a relabelled key id instead of returning garbage', async () => {
    const codec = new AesGcmCodec([a, b]);
    const [sealed] = await codec.encode([payload()]);
    const flipped = Buffer.from(sealed.data!);
    flipped[flipped.length - 20] ^= 1;
    const tampered = { ...sealed, data: flipped };
    const relabelled = { ...sealed, metadata: { ...sealed.metadata, [KEY_ID_METADATA]: Buffer.from('b') } };
    for (const bad of [tampered, relabelled]) {
      const err = await codec.decode([bad]).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(CodecKeyError);
    }
    const unknown = await new AesGcmCodec([b]).decode([sealed]).catch((e: unknown) => e);
    expect((unknown as Error).message).to.include('No codec key "a"');
  });

  it('passes payloads from before the codec through unchanged (old histories replay)', async () => {
    const plain = payload();
    expect((await new AesGcmCodec([a]).decode([plain]))[0]).to.equal(plain);
  });

  it('writes and reads TEMPORAL_CODEC_KEYS in one form', () => {
    const keys = parseCodecKeys(formatCodecKeys([b, a]));
    expect(keys.map((k) => k.id)).to.deep.equal(['b', 'a']);
    expect(keys[1].key.equals(a.key)).to.equal(true);
  });
});
