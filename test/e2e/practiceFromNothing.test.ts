import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { rootDir } from '../../app/config';
import { ensureDatabase } from '../../app/postgres';
import { freshDatabase } from '../support/database';
import { sharedDevServer, uniqueTaskQueue } from '../support/temporal';
import { startCaptureServer, type CaptureServer } from '../support/captureServer';
import { spawnApp, type AppProcess } from '../support/appProcess';
import { freePort } from '../support/ports';
import { httpClient } from '../support/http';
import { TEST_CODEC_KEYS } from '../support/codecKeys';

/** Runs `npm run practice:create -- <args>` as an operator would (tsx, the script's own process). */
function practiceCreate(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; output: string }> {
  const tsx = path.join(rootDir, 'node_modules', '.bin', 'tsx');
  return new Promise((resolve) => {
    execFile(
      tsx,
      ['app/practiceCreate.ts', ...args],
      { cwd: rootDir, env: { ...process.env, NODE_ENV: '', LOG_LEVEL: 'warn', ...env }, timeout: 120_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, output: `${stdout}${stderr}` });
      },
    );
  });
}

/** An empty database (no schema at all) on the test server, as a new production deployment starts with. */
async function emptyDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const probe = await freshDatabase();
  const serverUrl = new URL(probe.url);
  await probe.drop();
  const name = `booking_empty_${randomBytes(6).toString('hex')}`;
  serverUrl.pathname = '/postgres';
  await ensureDatabase(serverUrl.toString(), name);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const admin = new pg.Client({ connectionString: serverUrl.toString() });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

async function tableCount(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query(
    "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'",
  );
  await client.end();
  return rows[0].n as number;
}

describe('a practice from nothing: production settings, empty database, only the commands and the emails', function () {
  this.timeout(420_000);
  let capture: CaptureServer;
  let database: { url: string; drop(): Promise<void> } | undefined;
  let dataDir: string;
  const apps: AppProcess[] = [];

  before(async () => {
    capture = await startCaptureServer();
  });
  after(async () => {
    for (const app of apps) await app.stop('SIGTERM');
    await capture?.close();
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('practice:create → the emailed link → the admin invites a clinician → availability → the portal answers', async () => {
    database = await emptyDatabase();
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'booking-practice-e2e-'));
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    const env: Record<string, string> = {
      NODE_ENV: 'production',
      DATABASE_URL: database.url,
      TEMPORAL_ADDRESS: (await sharedDevServer()).address,
      TEMPORAL_TASK_QUEUE: uniqueTaskQueue('practice-e2e'),
      AUTH_SECRET: randomBytes(32).toString('hex'),
      TEMPORAL_CODEC_KEYS: TEST_CODEC_KEYS,
      RESEND_API_KEY: 're_practice_e2e',
      RESEND_BASE_URL: capture.url,
      PUBLIC_URL: publicUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
    };

    // A mistake writes nothing, not even the schema.
    const bad = await practiceCreate(
      ['--name', 'Harbor Counseling', '--time-zone', 'Mars/Olympus', '--admin-email', 'ada@example.com'],
      env,
    );
    expect(bad.code).to.not.equal(0);
    expect(bad.output).to.include('--time-zone "Mars/Olympus" is not an IANA time zone');
    const missing = await practiceCreate(['--name', 'Harbor Counseling'], env);
    expect(missing.code).to.not.equal(0);
    expect(missing.output).to.include('--time-zone is required');
    expect(await tableCount(database.url)).to.equal(0);

    const adminEmail = 'ada@harbor.example';
    const created = await practiceCreate(
      [
        '--name',
        'Harbor Counseling',
        '--time-zone',
        'America/New_York',
        '--admin-email',
        adminEmail,
        '--admin-first-name',
        'Ada',
        '--admin-last-name',
        'Lovelace',
      ],
      env,
    );
    expect(created.code, created.output).to.equal(0);
    const slug = /with slug ([a-z0-9-]+)\./.exec(created.output)?.[1];
    expect(slug).to.equal('harbor-counseling');
    expect(created.output).to.include(`${publicUrl}/portal/harbor-counseling`);

    const worker = spawnApp('app/worker.ts', env);
    apps.push(worker);
    const api = spawnApp('app/api.ts', env);
    apps.push(api);
    await Promise.all([worker.waitFor(/worker running/), api.waitFor(/API listening/)]);
    const http = httpClient(publicUrl);
    expect((await http.get(`/portal/${slug}`)).status, 'nothing usable before the link is followed').to.equal(
      404,
    );
    expect(
      (
        await http.post('/api/practices', {
          practiceName: 'Another Practice',
          timeZone: 'UTC',
          admin: { firstName: 'Eve', lastName: 'Else', email: 'eve@example.com' },
        })
      ).status,
      'sign-up is off',
    ).to.equal(404);

    const linkIn = async (address: string) => {
      const email = await capture.waitFor((e) => e.to.includes(address), 90_000);
      const link = /(http:\/\/\S+\/app\/accept-invitation\?token=([A-Za-z0-9_-]+))/.exec(email.text ?? '');
      expect(link, email.text).to.not.equal(null);
      expect(link![1].startsWith(`${publicUrl}/app/accept-invitation?token=`)).to.equal(true);
      return link![2];
    };
    const adminAccept = await http.post('/api/staff/invitations/accept', {
      token: await linkIn(adminEmail),
      password: 'harbor admin password',
    });
    expect(adminAccept.status, JSON.stringify(adminAccept.body)).to.equal(200);
    expect(adminAccept.body.user).to.include({
      email: adminEmail,
      role: 'admin_clinician',
      firstName: 'Ada',
    });
    const admin = await http.signIn(adminEmail, 'harbor admin password');

    const clinicianEmail = 'sam@harbor.example';
    const invited = await http.post(
      '/api/staff/invitations',
      { email: clinicianEmail, firstName: 'Sam', lastName: 'Lee', role: 'clinician' },
      { token: admin },
    );
    expect(invited.status).to.equal(201);
    const clinicianAccept = await http.post('/api/staff/invitations/accept', {
      token: await linkIn(clinicianEmail),
      password: 'sam clinician password',
    });
    expect(clinicianAccept.status).to.equal(200);
    const clinician = clinicianAccept.body.token as string;
    const clinicianId = clinicianAccept.body.user.id as string;

    const service = await http.post(
      '/api/services',
      { name: 'Initial consultation', durationMinutes: 50 },
      { token: admin },
    );
    expect(service.status).to.equal(201);
    const prefs = await http.put(
      `/api/clinicians/${clinicianId}/booking-preferences`,
      {
        initialConsultationServiceId: service.body.id,
        startTimeIntervalMinutes: 60,
        minimumNoticeHours: 24,
        bufferBeforeMinutes: 0,
        bufferAfterMinutes: 0,
      },
      { token: clinician },
    );
    expect(prefs.status, JSON.stringify(prefs.body)).to.equal(200);
    const today = new Date().toISOString().slice(0, 10);
    const rule = await http.post(
      `/api/clinicians/${clinicianId}/availability-rules`,
      {
        rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU',
        startDate: today,
        startTime: '09:00',
        endTime: '17:00',
      },
      { token: clinician },
    );
    expect(rule.status, JSON.stringify(rule.body)).to.equal(201);
    expect(
      (await http.patch('/api/practice/client-portal', { enabled: true }, { token: admin })).status,
    ).to.equal(200);

    const portal = await http.get(`/portal/${slug}`);
    expect(portal.status).to.equal(200);
    expect(portal.body).to.include({
      name: 'Harbor Counseling',
      slug: 'harbor-counseling',
      timeZone: 'America/New_York',
    });
    const clinicians = await http.get(`/portal/${slug}/clinicians`);
    const offered = clinicians.body.find((c: { id: string }) => c.id === clinicianId);
    expect(offered?.newClients).to.deep.include({
      accepted: true,
      initialConsultationServiceId: service.body.id,
    });
    const from = new Date();
    const to = new Date(from.getTime() + 14 * 86_400_000);
    const slots = await http.get(
      `/portal/${slug}/availability?clinicianId=${clinicianId}&serviceId=${service.body.id}&from=${from.toISOString()}&to=${to.toISOString()}`,
    );
    expect(slots.status).to.equal(200);
    expect(slots.body.slots.length).to.be.greaterThan(0);

    for (const app of apps.splice(0)) expect((await app.stop('SIGTERM')).code).to.equal(0);
  });
});
