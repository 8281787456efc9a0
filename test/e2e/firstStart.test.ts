import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { rootDir } from '../../app/config';
import { startCaptureServer, type CaptureServer } from '../support/captureServer';
import { spawnApp, type AppProcess } from '../support/appProcess';
import { freePort } from '../support/ports';
import { httpClient, type HttpClient } from '../support/http';
import { emailVerificationCode } from '../support/verification';

interface PortalClinician {
  id: string;
  newClients: { accepted: boolean; initialConsultationServiceId: string | null };
}

/**
 * Sends the portal's first new-client request for the earliest slot it offers, after confirming the address with
 * the emailed code as the portal does; returns the client's address.
 */
async function firstNewClientRequest(http: HttpClient, capture: CaptureServer): Promise<string> {
  const clinicians = (await http.get('/portal/demo/clinicians')).body as PortalClinician[];
  const clinician = clinicians.find((c) => c.newClients.accepted)!;
  const serviceId = clinician.newClients.initialConsultationServiceId!;
  const from = new Date();
  const to = new Date(from.getTime() + 21 * 86_400_000);
  const availability = await http.get(
    `/portal/demo/availability?clinicianId=${clinician.id}&serviceId=${serviceId}` +
      `&from=${from.toISOString()}&to=${to.toISOString()}`,
  );
  expect(availability.status).to.equal(200);
  const slot = (availability.body as { slots: { startsAt: string }[] }).slots[0];
  const email = `first-start-${randomUUID().slice(0, 8)}@example.com`;
  const code = await emailVerificationCode(http, capture, 'demo', email, { timeoutMs: 90_000 });
  const created = await http.post('/portal/demo/requests', {
    clinicianId: clinician.id,
    serviceId,
    startsAt: slot.startsAt,
    newClient: { firstName: 'Fern', lastName: 'First', email, phone: '+1 555 0199' },
    emailVerificationCode: code,
  });
  expect(created.status, JSON.stringify(created.body)).to.equal(201);
  return email;
}

describe('first start: `npm start` on a fresh clone (web/dist missing, empty data folder)', function () {
  this.timeout(420_000);
  let capture: CaptureServer;
  let app: AppProcess | undefined;
  let dataDir: string;

  before(async () => {
    capture = await startCaptureServer();
  });
  after(async () => {
    if (app) await app.stop('SIGKILL');
    await capture?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('builds the browser app, then the first request sends the verification code, the clinician notice and the client receipt', async () => {
    // As on a fresh clone: no browser build, so the start builds it before serving.
    rmSync(path.join(rootDir, 'web', 'dist'), { recursive: true, force: true });
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'booking-first-start-'));
    // The embedded server runs as the postgres user when the tests run as root: it must be able to enter.
    chmodSync(dataDir, 0o755);
    const port = await freePort();
    app = spawnApp('app/start.ts', {
      DATA_DIR: dataDir,
      PORT: String(port),
      EMBEDDED_PG_PORT: String(await freePort()),
      TEMPORAL_DEV_PORT: String(await freePort()),
      TEMPORAL_UI_PORT: String(await freePort()),
      RESEND_API_KEY: 're_first_start_test',
      RESEND_BASE_URL: capture.url,
    });
    await app.waitFor(/Ready in/);
    expect(app.output()).to.match(/building the browser app/);

    const http = httpClient(`http://127.0.0.1:${port}`);
    const page = await http.get('/portal/demo', { headers: { accept: 'text/html' } });
    expect(page.status).to.equal(200);

    const email = await firstNewClientRequest(http, capture);
    const receipt = await capture.waitFor(
      (e) => e.to.includes(email) && e.idempotencyKey!.startsWith('request-received/'),
      90_000,
    );
    expect(receipt.subject).to.match(/request/i);
    const notice = await capture.waitFor(
      (e) => e.to.includes('clinician@demo.test') || e.to.includes('admin@demo.test'),
      90_000,
    );
    expect(notice.text).to.contain('Fern First');
    expect(app.output()).not.to.match(/getOwner/);

    const exit = await app.stop('SIGTERM');
    app = undefined;
    expect(exit).to.deep.equal({ code: 0, signal: null });
  });
});
