import { expect } from 'chai';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { allPorts, ephemeralPorts, portsFromBases } from '../../tools/cluster/ports';
import { processAlive } from '../../tools/cluster/process';
import { loadOrCreateSecrets } from '../../tools/cluster/secrets';
import { serverConfig, uiConfig } from '../../tools/cluster/temporalConfig';
import { optionsFromEnv } from '../../tools/cluster/main';
import { DEFAULT_PORTS } from '../../tools/cluster/versions';
import { parseCodecKeys } from '../../temporal/codec';

describe('tools/cluster: the production shape on one machine', () => {
  it('sets every Temporal port in its config (none left on the stock 7233/7243/7936/8000) and all of them distinct', () => {
    const ports = portsFromBases({ apis: 3, workers: 2 });
    const flat = allPorts(ports);
    expect(new Set(flat).size, 'distinct').to.equal(flat.length);
    const config = serverConfig(
      ports.temporal,
      { port: ports.postgres, user: 't', password: 'p' },
      '/d.yaml',
    );
    const yamlPorts = JSON.stringify(config)
      .match(/\d{4,5}/g)!
      .map(Number);
    for (const stock of [7233, 7234, 7235, 7239, 7243, 6933, 6934, 6935, 6939, 7936, 8000])
      expect(yamlPorts, `stock port ${stock}`).to.not.include(stock);
    for (const service of Object.values(config.services))
      expect(service.rpc.membershipPort, 'membership ports fit smallint').to.be.below(32768);
    expect(config.global.pprof.port, 'pprof off').to.equal(0);
    expect(config.global.metrics.prometheus.listenAddress).to.equal(`127.0.0.1:${ports.temporal.metrics}`);
    expect(config.persistence.datastores.visibility.sql.pluginName).to.equal('postgres12');
  });

  it('keeps the default ports inside the cluster ranges agreed on this machine', () => {
    const inRange = (p: number) =>
      (p >= 7300 && p <= 7399) || (p >= 3400 && p <= 3499) || (p >= 55400 && p <= 55499);
    const outside = allPorts(portsFromBases({ apis: 10, workers: 10 })).filter((p) => !inRange(p));
    expect(outside).to.deep.equal([]);
  });

  it('picks free ephemeral ports for tests, with membership ports below 32768', async () => {
    const ports = await ephemeralPorts({ apis: 2, workers: 2 });
    const flat = allPorts(ports);
    expect(new Set(flat).size).to.equal(flat.length);
    for (const key of [
      'frontendMembership',
      'historyMembership',
      'matchingMembership',
      'workerMembership',
    ] as const)
      expect(ports.temporal[key]).to.be.below(32768);
  });

  it('reads API_COUNT, WORKER_COUNT and the CLUSTER_*_PORT bases, refusing bad values by name', () => {
    const opts = optionsFromEnv({ API_COUNT: '3', WORKER_COUNT: '1', CLUSTER_API_PORT: '3450' });
    expect(opts.ports.apis.map((a) => a.http)).to.deep.equal([3450, 3451, 3452]);
    expect(opts.ports.workers).to.have.length(1);
    expect(opts.ports.temporal.frontend).to.equal(DEFAULT_PORTS.temporal);
    expect(optionsFromEnv({ RESEND_API_KEY: 're_x', AUTH_SECRET: 'not-passed' }).appEnv).to.deep.equal({
      RESEND_API_KEY: 're_x',
    });
    expect(() => optionsFromEnv({ API_COUNT: 'two' })).to.throw(/API_COUNT/);
    expect(() => optionsFromEnv({ CLUSTER_TEMPORAL_PORT: '80' })).to.throw(/CLUSTER_TEMPORAL_PORT/);
  });

  it('points the UI at the frontend and at the codec endpoint it is given', () => {
    const ui = uiConfig({
      temporalPort: 7333,
      port: 7380,
      codecEndpoint: 'http://127.0.0.1:3400/codec/operator/t',
    });
    expect(ui.temporalGrpcAddress).to.equal('127.0.0.1:7333');
    expect(ui.codec.endpoint).to.equal('http://127.0.0.1:3400/codec/operator/t');
  });

  it('generates the secrets once, private to the owner, and reuses them on the next run', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cluster-secrets-'));
    try {
      const first = loadOrCreateSecrets(dir);
      expect(first.authSecret.length).to.be.at.least(32);
      expect(parseCodecKeys(first.codecKeys)).to.have.length(1);
      expect(fs.statSync(path.join(dir, 'secrets.json')).mode & 0o077).to.equal(0);
      expect(loadOrCreateSecrets(dir)).to.deep.equal(first);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('counts a zombie (killed, not yet reaped) as not alive, where kill -0 still succeeds', async () => {
    // The shell forks a short sleep and then becomes a long sleep, which never reaps it: a zombie.
    const parent = spawn('sh', ['-c', 'sleep 0.1 & echo $!; exec sleep 30'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    try {
      const pid = Number((await new Promise<Buffer>((r) => parent.stdout.once('data', r))).toString().trim());
      await sleep(500);
      expect(() => process.kill(pid, 0), 'kill -0 on the zombie').to.not.throw();
      expect(processAlive(pid)).to.equal(false);
      expect(processAlive(parent.pid!)).to.equal(true);
    } finally {
      parent.kill('SIGKILL');
    }
  });
});
