import { expect } from 'chai';
import { loadConfig, ConfigError, temporalMetricsBindAddress } from '../../app/config';

function refusal(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error(`expected ${JSON.stringify(env)} to be refused`);
}

describe('config: METRICS_PORT and TEMPORAL_METRICS_PORT', () => {
  it('leaves both off when unset or empty', () => {
    for (const env of [{}, { METRICS_PORT: '', TEMPORAL_METRICS_PORT: '' }]) {
      const config = loadConfig(env);
      expect(config.metricsPort).to.equal(null);
      expect(config.temporalMetricsPort).to.equal(null);
    }
  });

  it('reads both ports', () => {
    const config = loadConfig({ METRICS_PORT: '9464', TEMPORAL_METRICS_PORT: '9465' });
    expect(config.metricsPort).to.equal(9464);
    expect(config.temporalMetricsPort).to.equal(9465);
  });

  it('refuses what is not a port, naming the variable', () => {
    for (const bad of ['nine', '-1', '0', '65536', '94.64']) {
      expect(refusal({ METRICS_PORT: bad }).variable, bad).to.equal('METRICS_PORT');
      expect(refusal({ TEMPORAL_METRICS_PORT: bad }).variable, bad).to.equal('TEMPORAL_METRICS_PORT');
    }
  });

  it('refuses metrics on the public API port', () => {
    const e = refusal({ PORT: '3000', METRICS_PORT: '3000' });
    expect(e.variable).to.equal('METRICS_PORT');
    expect(e.message).to.match(/must differ from PORT \(3000\)/);
    expect(refusal({ METRICS_PORT: '3000' }).variable, 'the default PORT too').to.equal('METRICS_PORT');
    expect(refusal({ PORT: '4000', TEMPORAL_METRICS_PORT: '4000' }).variable).to.equal(
      'TEMPORAL_METRICS_PORT',
    );
  });

  it('refuses the two metrics ports on one port', () => {
    const e = refusal({ METRICS_PORT: '9464', TEMPORAL_METRICS_PORT: '9464' });
    expect(e.variable).to.equal('TEMPORAL_METRICS_PORT');
    expect(e.message).to.match(/must not include METRICS_PORT \(9464\)/);
  });

  it('with API_PROCESSES > 1 checks the whole range of per-process SDK ports', () => {
    const ok = loadConfig({ API_PROCESSES: '3', METRICS_PORT: '9470', TEMPORAL_METRICS_PORT: '9471' });
    expect(ok.temporalMetricsPort).to.equal(9471);
    const clash = refusal({ API_PROCESSES: '3', METRICS_PORT: '9473', TEMPORAL_METRICS_PORT: '9471' });
    expect(clash.variable).to.equal('TEMPORAL_METRICS_PORT');
    expect(clash.message).to.match(/9471-9473 \(one port per API process\) must not include METRICS_PORT/);
    expect(refusal({ API_PROCESSES: '3', PORT: '9472', TEMPORAL_METRICS_PORT: '9471' }).message).to.match(
      /must not include PORT \(9472\)/,
    );
    expect(refusal({ API_PROCESSES: '2', TEMPORAL_METRICS_PORT: '65535' }).message).to.match(
      /needs ports up to 65536/,
    );
  });

  it("refuses a host name for the SDK's exporter, which binds IP addresses only", () => {
    const e = refusal({ HOST: 'api.internal', TEMPORAL_METRICS_PORT: '9465' });
    expect(e.variable).to.equal('TEMPORAL_METRICS_PORT');
    expect(e.message).to.match(/IP address or localhost, got "api.internal"/);
    expect(
      loadConfig({ HOST: 'api.internal', METRICS_PORT: '9464' }).metricsPort,
      'node binds names',
    ).to.equal(9464);
    expect(temporalMetricsBindAddress({ host: 'localhost' }, 9465)).to.equal('127.0.0.1:9465');
    expect(temporalMetricsBindAddress({ host: '0.0.0.0' }, 9465)).to.equal('0.0.0.0:9465');
    expect(temporalMetricsBindAddress({ host: '::' }, 9465)).to.equal('[::]:9465');
  });
});
