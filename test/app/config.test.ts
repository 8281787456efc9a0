import { expect } from 'chai';
import { loadConfig, ConfigError, DEFAULT_WORKER_MAX_CACHED_WORKFLOWS } from '../../app/config';

const KEY_A = Buffer.alloc(32, 1).toString('base64');
const KEY_B = Buffer.alloc(32, 2).toString('base64');
const KEYS = `a:${KEY_A}`;

function failure(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('config', () => {
  it('boots on embedded defaults with no environment at all', () => {
    const config = loadConfig({});
    expect(config.databaseUrl).to.equal(null);
    expect(config.temporalAddress).to.equal(null);
    expect(config.port).to.equal(3000);
    expect(config.temporalUiUrl).to.equal('http://localhost:8233');
    expect(config.publicUrl).to.equal('http://localhost:3000');
    expect(config.seedDemo).to.equal(true);
  });

  it('names the variable that is wrong', () => {
    expect(failure({ PORT: 'eighty' }).variable).to.equal('PORT');
    expect(failure({ PORT: '70000' }).message).to.match(/PORT must be between/);
    expect(failure({ DATABASE_URL: 'not a url' }).variable).to.equal('DATABASE_URL');
    expect(failure({ TEMPORAL_ADDRESS: 'localhost' }).variable).to.equal('TEMPORAL_ADDRESS');
    expect(failure({ SEED_DEMO: 'maybe' }).variable).to.equal('SEED_DEMO');
    expect(failure({ AUTH_SECRET: 'short' }).variable).to.equal('AUTH_SECRET');
    expect(failure({ NODE_ENV: 'staging' }).variable).to.equal('NODE_ENV');
  });

  it('requires the external services and a secret in production, and never seeds demo data there', () => {
    const base = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://u:p@db/booking',
      TEMPORAL_ADDRESS: 'temporal:7233',
      AUTH_SECRET: 'x'.repeat(32),
      TEMPORAL_CODEC_KEYS: KEYS,
    };
    expect(failure({ ...base, DATABASE_URL: '' }).variable).to.equal('DATABASE_URL');
    expect(failure({ ...base, TEMPORAL_ADDRESS: '' }).variable).to.equal('TEMPORAL_ADDRESS');
    expect(failure({ ...base, AUTH_SECRET: '' }).variable).to.equal('AUTH_SECRET');
    expect(failure({ ...base, SEED_DEMO: 'true' }).variable).to.equal('SEED_DEMO');
    expect(loadConfig(base).seedDemo).to.equal(false);
  });

  it('trusts no proxy in production and loopback elsewhere unless TRUST_PROXY says otherwise', () => {
    const production = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://u:p@db/booking',
      TEMPORAL_ADDRESS: 'temporal:7233',
      AUTH_SECRET: 'x'.repeat(32),
      TEMPORAL_CODEC_KEYS: KEYS,
    };
    expect(loadConfig(production).trustProxy).to.equal(false);
    expect(loadConfig({}).trustProxy).to.deep.equal(['loopback']);
    expect(loadConfig({ NODE_ENV: 'test' }).trustProxy).to.deep.equal(['loopback']);
    expect(loadConfig({ ...production, TRUST_PROXY: '1' }).trustProxy).to.equal(1);
    expect(loadConfig({ ...production, TRUST_PROXY: 'true' }).trustProxy).to.equal(true);
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).to.equal(false);
    expect(
      loadConfig({ ...production, TRUST_PROXY: '10.0.0.0/8, 192.0.2.7,fd00::/8,loopback,uniquelocal' })
        .trustProxy,
    ).to.deep.equal(['10.0.0.0/8', '192.0.2.7', 'fd00::/8', 'loopback', 'uniquelocal']);
  });

  it('refuses a TRUST_PROXY that Express would misread, naming the variable', () => {
    for (const bad of [
      'yes',
      '-1',
      '11',
      '10.0.0.0/33',
      'fd00::/129',
      '10.0.0.0/8/1',
      '1.2.3.4.5',
      'loopback,',
      'localhost',
      '10.0.0.0/x',
    ]) {
      const err = failure({ TRUST_PROXY: bad });
      expect(err.variable, bad).to.equal('TRUST_PROXY');
      expect(err.message).to.match(/^Configuration error: TRUST_PROXY /);
    }
  });

  it('keeps web sign-up off unless SIGNUP_ENABLED says true, in every environment', () => {
    expect(loadConfig({}).signupEnabled).to.equal(false);
    expect(loadConfig({ SIGNUP_ENABLED: 'true' }).signupEnabled).to.equal(true);
    expect(failure({ SIGNUP_ENABLED: 'maybe' }).variable).to.equal('SIGNUP_ENABLED');
  });

  it('requires payload keys in production and reads TEMPORAL_CODEC_KEYS as id:base64key, the first the current', () => {
    const production = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://u:p@db/booking',
      TEMPORAL_ADDRESS: 'temporal:7233',
      AUTH_SECRET: 'x'.repeat(32),
    };
    const missing = failure(production);
    expect(missing.variable).to.equal('TEMPORAL_CODEC_KEYS');
    expect(missing.message).to.match(/required when NODE_ENV=production/);
    expect(loadConfig({}).codecKeys, 'development: a key under DATA_DIR').to.equal(null);
    const keys = loadConfig({ ...production, TEMPORAL_CODEC_KEYS: `b:${KEY_B}, a:${KEY_A}` }).codecKeys!;
    expect(keys.map((k) => k.id)).to.deep.equal(['b', 'a']);
    expect(keys[0].key.equals(Buffer.alloc(32, 2))).to.equal(true);
  });

  it('refuses a malformed key list without quoting the key material', () => {
    const short = Buffer.alloc(16, 3).toString('base64');
    for (const bad of [
      KEY_A,
      `a:${short}`,
      `a:${KEY_A},a:${KEY_B}`,
      `bad id:${KEY_A}`,
      `a:not*base64`,
      ',',
    ]) {
      const err = failure({ TEMPORAL_CODEC_KEYS: bad });
      expect(err.variable, bad).to.equal('TEMPORAL_CODEC_KEYS');
      expect(err.message, bad).to.not.include(KEY_A).and.not.include(short);
    }
    expect(failure({ TEMPORAL_CODEC_OPERATOR_TOKEN: 'short' }).variable).to.equal(
      'TEMPORAL_CODEC_OPERATOR_TOKEN',
    );
  });

  it('sizes the worker cache from WORKER_MAX_CACHED_WORKFLOWS, refusing what the SDK cannot take', () => {
    expect(loadConfig({}).workerMaxCachedWorkflows).to.equal(DEFAULT_WORKER_MAX_CACHED_WORKFLOWS);
    expect(loadConfig({ WORKER_MAX_CACHED_WORKFLOWS: '250' }).workerMaxCachedWorkflows).to.equal(250);
    expect(loadConfig({ WORKER_MAX_CACHED_WORKFLOWS: '0' }).workerMaxCachedWorkflows).to.equal(0);
    for (const bad of ['1', '-5', 'lots', '1.5', '100001']) {
      const e = failure({ WORKER_MAX_CACHED_WORKFLOWS: bad });
      expect(e.variable, bad).to.equal('WORKER_MAX_CACHED_WORKFLOWS');
      expect(e.message, bad).to.match(/^Configuration error: WORKER_MAX_CACHED_WORKFLOWS must /);
    }
  });
});
