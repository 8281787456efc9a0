import { expect } from 'chai';
import { loadConfig, ConfigError } from '../../app/config';

function failure(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('config: API processes, compression, availability cache', () => {
  it('runs one API process, brotli 4 (gzip 1 for clients without it) and the cache by default', () => {
    const config = loadConfig({});
    expect(config.apiProcesses).to.equal(1);
    expect(config.httpCompression).to.deep.equal({ gzip: 1, brotli: 4 });
    expect(config.availabilityCache).to.equal(true);
  });

  it('reads API_PROCESSES as a whole number from 1 to 64, naming the variable otherwise', () => {
    expect(loadConfig({ API_PROCESSES: '3' }).apiProcesses).to.equal(3);
    expect(failure({ API_PROCESSES: '0' }).variable).to.equal('API_PROCESSES');
    expect(failure({ API_PROCESSES: '65' }).message).to.match(/API_PROCESSES must be between 1 and 64/);
    expect(failure({ API_PROCESSES: 'two' }).variable).to.equal('API_PROCESSES');
  });

  it('reads HTTP_COMPRESSION as off, gzip:<1-9> or brotli:<0-11> (gzip 1 for clients without brotli)', () => {
    expect(loadConfig({ HTTP_COMPRESSION: 'off' }).httpCompression).to.equal(null);
    expect(loadConfig({ HTTP_COMPRESSION: 'gzip:9' }).httpCompression).to.deep.equal({
      gzip: 9,
      brotli: null,
    });
    expect(loadConfig({ HTTP_COMPRESSION: 'brotli:4' }).httpCompression).to.deep.equal({
      gzip: 1,
      brotli: 4,
    });
    for (const bad of ['gzip:0', 'gzip:10', 'brotli:12', 'zstd:3', 'gzip', 'on'])
      expect(failure({ HTTP_COMPRESSION: bad }).variable, bad).to.equal('HTTP_COMPRESSION');
  });

  it('turns the availability cache off with AVAILABILITY_CACHE=false and refuses other words', () => {
    expect(loadConfig({ AVAILABILITY_CACHE: 'false' }).availabilityCache).to.equal(false);
    expect(failure({ AVAILABILITY_CACHE: 'sometimes' }).variable).to.equal('AVAILABILITY_CACHE');
  });
});
