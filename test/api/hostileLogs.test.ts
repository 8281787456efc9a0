import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../../lib/logger';
import { useApi } from './context';
import { TokenService } from '../../api/auth/tokens';
import { submitRequest } from '../../booking/submitRequest';
import { startRequestWorkflow } from '../../temporal/requests';
import {
  aClient,
  aClinician,
  anAppointment,
  aPractice,
  aService,
  aStaffUser,
  fixturePassword,
} from '../fixtures';

type JsonSchema = {
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  example?: unknown;
  minimum?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
};
interface Operation {
  security: unknown[];
  parameters?: { in: 'path' | 'query'; name: string; required: boolean; schema: JsonSchema }[];
  requestBody?: { content: { 'application/json': { schema: JsonSchema } } };
}

// Personal text as people write it, with what breaks naive handling: quotes, SQL, a NUL and an unpaired surrogate
// (refused by validation, or by PostgreSQL if anything let them through), and an address and a phone number.
const NAME = 'Zebulon Quartermaine';
const EMAIL = 'zebulon.quartermaine@hostile.test';
const PHONE = '+1 555 014 2718';
const HOSTILE = [
  `${NAME} (“panic attacks”) '); DROP TABLE clients; --`,
  `${NAME}\u0000${PHONE}`,
  `${NAME} \ud800 ${EMAIL}`,
  `${NAME}\n${PHONE}\t${EMAIL}`,
];
// An address is logged masked to its first letter and domain (lib/errorSummary.ts), so the domain alone is no leak.
const MARKERS = ['Quartermaine', 'quartermaine', 'zebulon', '555 014', '5550142718', 'panic attacks'];

/** A value the schema accepts for a non-text field, or the hostile text for a text one. */
function value(schema: JsonSchema, name: string, text: string): unknown {
  if (schema.anyOf) return value(schema.anyOf[0], name, text);
  if (schema.enum) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  if (type === 'object')
    return Object.fromEntries(
      Object.entries(schema.properties ?? {}).map(([k, s]) => [k, value(s, k, text)]),
    );
  if (type === 'array') return schema.items ? [value(schema.items, name, text)] : [];
  if (type === 'integer' || type === 'number') return schema.minimum ?? 1;
  if (type === 'boolean') return true;
  if (schema.format === 'uuid') return randomUUID();
  if (schema.format === 'date-time') return '2026-07-01T10:00:00Z';
  if (schema.format === 'date') return '2026-07-01';
  if (schema.format === 'email' || /email/i.test(name)) return EMAIL;
  if (/phone/i.test(name)) return PHONE;
  if (schema.example !== undefined && !/name|note|reason|message/i.test(name)) return schema.example;
  return text;
}

describe('logs: hostile personal text through every route leaves no trace in any log line', function () {
  this.timeout(300_000);
  const lines: string[] = [];
  // Debug: the most any deployment would write. API and worker share it, as in `npm start`.
  const log = createLogger('debug', 'hostile-logs', { write: (line: string) => void lines.push(line) });
  // Emails go to an outbox under DATA_DIR here: a folder of the test's own.
  const ctx = useApi({
    worker: true,
    log,
    env: { DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'hostile-logs-')) },
  });

  it('every route, every text field, each hostile text; then a decline note, a cancel reason and a duplicate', async function () {
    const practice = await aPractice(ctx.db, {
      slug: `hostile-${randomUUID().slice(0, 8)}`,
      portalEnabled: true,
    });
    const admin = await aStaffUser(ctx.db, practice, { role: 'admin_clinician' });
    const clinician = await aClinician(ctx.db, practice);
    const service = await aService(ctx.db, practice);
    const client = await aClient(ctx.db, practice, { lastName: 'Quartermaine', email: EMAIL, phone: PHONE });
    const staffToken = await ctx.http.signIn(admin.email, fixturePassword);
    const clientToken = await new TokenService(ctx.stack.config.authSecret!, ctx.clock).sign(
      { typ: 'client', sub: client.id, pid: practice.id },
      new Date(ctx.clock.now().getTime() + 3_600_000),
    );
    const doc = (await ctx.http.get('/openapi.json')).body as {
      paths: Record<string, Record<string, Operation>>;
    };
    const statuses: Record<number, number> = {};
    let sent = 0;
    for (const [path, byMethod] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(byMethod)) {
        // Signing out would leave the rest of the walk at 401, short of everything behind the token.
        if (/logout|sign-out/.test(path)) continue;
        const security = JSON.stringify(op.security);
        const token = security.includes('staffToken')
          ? staffToken
          : security.includes('clientToken')
            ? clientToken
            : undefined;
        const schema = op.requestBody?.content['application/json'].schema;
        for (const text of HOSTILE) {
          // A URL cannot carry half a surrogate pair.
          const inUrl = text.replace(/[\ud800-\udfff]/g, '');
          const url = path.replace(/\{(\w+)\}/g, (_, name: string) =>
            encodeURIComponent(name === 'slug' ? practice.slug : name === 'id' ? client.id : inUrl),
          );
          const query = (op.parameters ?? []).filter((p) => p.in === 'query');
          const search = new URLSearchParams(
            query.map((p): [string, string] => [p.name, String(value(p.schema, p.name, inUrl))]),
          );
          const res = await ctx.http.request(
            method.toUpperCase(),
            `${url}${query.length ? `?${search}` : ''}`,
            {
              token,
              ...(schema ? { rawBody: JSON.stringify(value(schema, '', text)) } : {}),
            },
          );
          statuses[res.status] = (statuses[res.status] ?? 0) + 1;
          sent++;
          expect(res.status, `${method} ${path}`).to.be.below(500);
        }
      }

    // Text that reaches PostgreSQL and the workflows: a decline note and a cancel reason on real rows (signed in
    // again: the walk signed the first session out).
    // The walk's PATCH /api/clients/{id} may have archived the client; the rest needs them able to request.
    await ctx.db.Client.update({ archivedAt: null }, { where: { id: client.id } });
    const token = await ctx.http.signIn(admin.email, fixturePassword);
    const { request } = await submitRequest(
      ctx.db,
      {
        practice,
        clinicianId: clinician.id,
        serviceId: service.id,
        startsAt: new Date('2026-06-10T14:00:00Z'),
        requester: { clientId: client.id },
        message: HOSTILE[0],
        clientTimeZone: 'America/Chicago',
        now: ctx.clock.now(),
        codes: undefined as never,
      },
      (input) => startRequestWorkflow(ctx.stack.temporal, ctx.stack.config.taskQueue, input),
    );
    const declined = await ctx.http.post(
      `/api/appointment-requests/${request.id}/decline`,
      { note: HOSTILE[3] },
      { token },
    );
    expect(declined.status).to.equal(200);
    const appointment = await anAppointment(ctx.db, {
      practice,
      clinician,
      client,
      service,
      startsAt: new Date('2026-06-12T14:00:00Z'),
    });
    const canceled = await ctx.http.post(
      `/api/appointments/${appointment.id}/cancel`,
      { status: 'canceled', notifyClient: true, reason: HOSTILE[3] },
      { token },
    );
    expect(canceled.status).to.equal(200);
    // A unique violation quoting the row in PostgreSQL's detail, logged as the worker or API would.
    const duplicate = await ctx.db.Client.create({
      practiceId: practice.id,
      firstName: 'Z',
      lastName: NAME,
      email: EMAIL,
      phone: PHONE,
    }).catch((err: unknown) => err);
    log.error({ err: duplicate, cause: duplicate }, 'duplicate client');

    const leaks = lines.filter((line) => MARKERS.some((m) => line.includes(m)));
    expect(leaks, leaks.slice(0, 5).join('\n')).to.deep.equal([]);
    expect(sent).to.be.greaterThan(100);
    expect(lines.length, 'the stack logged what it did').to.be.greaterThan(10);
    this.test!.title += ` (${sent} requests: ${JSON.stringify(statuses)}; ${lines.length} log lines scanned)`;
  });
});
