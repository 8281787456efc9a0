import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { rootDir } from '../../app/config';
import {
  HISTORY_SHARDS,
  IMAGES,
  NAMESPACE,
  SCHEMA_DIR,
  SCHEMA_STEPS,
  SQL_PLUGIN,
} from '../../tools/cluster/versions';

// No Docker engine runs where the suite runs; this checks what can be checked without one.
describe('docker-compose.yml', () => {
  const compose = parse(fs.readFileSync(path.join(rootDir, 'docker-compose.yml'), 'utf8'), {
    merge: true,
  }) as {
    services: Record<
      string,
      {
        image?: string;
        build?: string;
        environment?: Record<string, string>;
        volumes?: string[];
        command?: string[] | string;
        expose?: string[];
        ports?: string[];
      }
    >;
  };
  const services = compose.services;

  it('has the production-shaped services, Temporal set up by admin-tools rather than auto-setup', () => {
    expect(Object.keys(services)).to.include.members([
      'postgres',
      'temporal-admin-tools',
      'temporal',
      'temporal-ui',
      'api',
      'worker',
    ]);
    expect(services.temporal.image).to.match(/^temporalio\/server:\d+\.\d+\.\d+$/);
    expect(services['temporal-admin-tools'].image).to.match(/^temporalio\/admin-tools:/);
    expect(services['temporal-ui'].image).to.match(/^temporalio\/ui:/);
    expect(JSON.stringify(compose)).to.not.include('auto-setup');
  });

  it('gives the API and the worker only variables the config reads, with external PostgreSQL and Temporal', () => {
    const configSource = fs.readFileSync(path.join(rootDir, 'app/config.ts'), 'utf8');
    for (const name of ['api', 'worker']) {
      const env = services[name].environment!;
      expect(env.DATABASE_URL, name).to.match(/^postgres:\/\//);
      expect(env.TEMPORAL_ADDRESS, name).to.equal('temporal:7233');
      for (const variable of Object.keys(env)) {
        expect(configSource, `${name} sets ${variable}`).to.include(`'${variable}'`);
      }
    }
  });

  // Issue 17 item 3b: what an operator's Prometheus on the compose network scrapes.
  it('serves the API HTTP metrics and the SDK metrics of the API and the worker on exposed, unpublished ports', () => {
    const { api, worker, migrate } = services;
    expect(api.environment!.METRICS_PORT).to.equal('9464');
    expect(api.environment!.TEMPORAL_METRICS_PORT).to.equal('9465');
    expect(worker.environment!.TEMPORAL_METRICS_PORT).to.equal('9465');
    expect(worker.environment!.METRICS_PORT, 'the worker serves no HTTP metrics').to.equal(undefined);
    expect(api.expose).to.have.members(['9464', '9465']);
    expect(worker.expose).to.have.members(['9465']);
    // Metrics stay on the compose network: nothing publishes them on the host.
    for (const name of ['api', 'worker'])
      expect((services[name].ports ?? []).join(' '), name).to.not.match(/946[45]/);
    // migrate shares the booking-env anchor: the ports must not have leaked into it.
    expect(migrate.environment!.METRICS_PORT).to.equal(undefined);
    expect(migrate.environment!.TEMPORAL_METRICS_PORT).to.equal(undefined);
    // The same variables as the rest: the ones app/config.ts reads (checked above), the shared ones kept.
    expect(api.environment!.DATABASE_URL).to.equal(migrate.environment!.DATABASE_URL);
  });

  it('mounts files that exist in the repository', () => {
    for (const service of Object.values(services)) {
      for (const volume of service.volumes ?? []) {
        const [source] = volume.split(':');
        if (!source.startsWith('./')) continue;
        expect(fs.existsSync(path.join(rootDir, source)), source).to.equal(true);
      }
    }
    expect(fs.existsSync(path.join(rootDir, 'Dockerfile'))).to.equal(true);
  });

  it('points the Temporal UI at the API codec endpoint and gives the API and worker the same required keys', () => {
    const ui = services['temporal-ui'].environment!;
    expect(ui.TEMPORAL_CODEC_ENDPOINT).to.match(
      /^\$\{TEMPORAL_CODEC_ENDPOINT:-http:\/\/localhost:3000\/codec\}$/,
    );
    for (const name of ['api', 'worker']) {
      // Required (":?"): compose refuses to start without keys rather than run a worker that cannot decrypt.
      expect(services[name].environment!.TEMPORAL_CODEC_KEYS, name).to.match(/^\$\{TEMPORAL_CODEC_KEYS:\?/);
    }
    expect(services.api.environment!.TEMPORAL_UI_URL).to.include('8233');
  });

  // The cluster script (tools/cluster/) and compose describe one production shape: the same versions and steps.
  it('runs the Temporal, admin-tools and UI versions, shard count and schema steps of `npm run stack:cluster`', () => {
    expect(services.temporal.image).to.equal(IMAGES.server);
    expect(services['temporal-admin-tools'].image).to.equal(IMAGES.adminTools);
    expect(services['temporal-create-namespace'].image).to.equal(IMAGES.adminTools);
    expect(services['temporal-ui'].image).to.equal(IMAGES.ui);
    expect(services.temporal.environment!.NUM_HISTORY_SHARDS).to.equal(String(HISTORY_SHARDS));
    expect(services.temporal.environment!.DB).to.equal(SQL_PLUGIN);
    const setup = fs.readFileSync(path.join(rootDir, 'temporal/docker/setup-schema.sh'), 'utf8');
    expect(setup).to.include(`--plugin ${SQL_PLUGIN}`);
    for (const step of SCHEMA_STEPS) {
      expect(setup).to.include(`--db ${step.database} create`);
      expect(setup).to.include(`--db ${step.database} setup-schema -v 0.0`);
      expect(setup).to.include(
        `--db ${step.database} update-schema -d /etc/temporal/${SCHEMA_DIR}/${step.versioned}`,
      );
    }
    const namespace = fs.readFileSync(path.join(rootDir, 'temporal/docker/create-namespace.sh'), 'utf8');
    expect(namespace).to.include(`--retention ${NAMESPACE.retentionDays}d`);
    expect(services['temporal-create-namespace'].environment!.DEFAULT_NAMESPACE).to.equal(NAMESPACE.name);
    // The cluster script copies the same dynamic config file the compose server mounts.
    expect(services.temporal.environment!.DYNAMIC_CONFIG_FILE_PATH).to.equal(
      'config/dynamicconfig/development-sql.yaml',
    );
  });
});
