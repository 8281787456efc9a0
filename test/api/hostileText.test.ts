import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { errorHandler } from '../../api/errors';
import { createLogger } from '../../lib/logger';
import { QueryTypes } from 'sequelize';
import { useApi } from './context';
import { TokenService } from '../../api/auth/tokens';
import { validate, type Schema } from '../../api/validation';
import { aClient, aClinician, aPractice, aStaffUser, fixturePassword } from '../fixtures';
import type { Store } from '../../models/store';

type JsonSchema = Record<string, unknown> & {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  enum?: unknown[];
  format?: string;
  pattern?: string;
  example?: unknown;
  minimum?: number;
  minLength?: number;
};
interface Operation {
  method: string;
  path: string;
  security: unknown[];
  parameters?: { in: 'path' | 'query'; name: string; required: boolean; schema: JsonSchema }[];
  requestBody?: { content: { 'application/json': { schema: JsonSchema } } };
}

/** Text PostgreSQL refuses or no person types into a one-line field; the multi-line ones are refused anywhere. */
const SINGLE_LINE_ONLY = ['line\nbreak', 'tab\there'];
const EVERYWHERE = ['x\u0000y', 'bell\u0007', 'esc\u001b[31m', 'c1\u0085', '\ud800', 'lone \udc00 low'];
// A URL cannot carry half a surrogate pair, so path and query get the rest.
const IN_URLS = ['x\u0000y', 'bell\u0007', 'line\nbreak'];

/** A value the schema accepts, so the only thing wrong with a request is the field under test. */
function validValue(schema: JsonSchema, name: string): unknown {
  if (schema.anyOf) return validValue(schema.anyOf[0], name);
  if (schema.example !== undefined) return schema.example;
  if (schema.enum) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const key of schema.required ?? []) out[key] = validValue(schema.properties![key], key);
      return out;
    }
    case 'array':
      return [];
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return false;
  }
  switch (schema.format) {
    case 'uuid':
      return randomUUID();
    case 'date-time':
      return '2026-07-01T10:00:00Z';
    case 'date':
      return '2026-07-01';
    case 'email':
      return 'someone@example.test';
    case 'uri':
      return 'https://example.test/';
  }
  if (name === 'timeZone') return 'Europe/London';
  if (name === 'slug') return 'riverside';
  return 'x'.repeat(Math.max(1, schema.minLength ?? 1));
}

/** Every string field of a body schema, by JSON pointer, with whether it allows several lines. */
function stringFields(schema: JsonSchema, pointer = ''): { pointer: string; multiline: boolean }[] {
  if (schema.anyOf) return schema.anyOf.flatMap((s) => stringFields(s, pointer));
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  const out: { pointer: string; multiline: boolean }[] = [];
  if (types.includes('string')) out.push({ pointer, multiline: schema['x-multiline'] === true });
  for (const [key, sub] of Object.entries(schema.properties ?? {}))
    out.push(...stringFields(sub, `${pointer}/${key}`));
  if (schema.items) out.push(...stringFields(schema.items, `${pointer}/0`));
  return out;
}

/** Sets the value at a JSON pointer; an optional object on the way gets the fields its schema requires. */
function setAt(target: Record<string, unknown>, pointer: string, value: unknown, schema: JsonSchema): void {
  const keys = pointer.split('/').slice(1);
  let node: Record<string, unknown> = target;
  let sub = schema;
  keys.forEach((key, i) => {
    sub = /^\d+$/.test(key) ? sub.items! : (sub.anyOf?.[0] ?? sub).properties![key];
    if (i === keys.length - 1) node[key] = value;
    else
      node = (node[key] ??= /^\d+$/.test(keys[i + 1]) ? [] : validValue(sub, key)) as Record<string, unknown>;
  });
}

/** Row count and content hash of every table a request could write. */
async function snapshot(db: Store): Promise<Record<string, string>> {
  const tables = await db.sequelize.query<{ t: string }>(
    "SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('SequelizeMeta', 'sessions', 'auth_failures') ORDER BY 1",
    { type: QueryTypes.SELECT },
  );
  const sql = tables
    .map(
      ({ t }) =>
        `SELECT '${t}' AS t, count(*) || ':' || md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS h FROM "${t}" x`,
    )
    .join(' UNION ALL ');
  const rows = await db.sequelize.query<{ t: string; h: string }>(sql, { type: QueryTypes.SELECT });
  return Object.fromEntries(rows.map((r) => [r.t, r.h]));
}

describe('hostile text: every string field of every route refuses NUL, control characters and broken Unicode', function () {
  this.timeout(300_000);
  const ctx = useApi();

  it('answers 400 naming the field and writes nothing, on every route in the OpenAPI document', async function () {
    const practice = await aPractice(ctx.db, {
      slug: `riverside-${randomUUID().slice(0, 8)}`,
      portalEnabled: true,
    });
    const admin = await aStaffUser(ctx.db, practice, { role: 'admin_clinician' });
    await aClinician(ctx.db, practice);
    const client = await aClient(ctx.db, practice);
    const staffToken = await ctx.http.signIn(admin.email, fixturePassword);
    const clientToken = await new TokenService(ctx.stack.config.authSecret!, ctx.clock).sign(
      { typ: 'client', sub: client.id, pid: practice.id },
      new Date(ctx.clock.now().getTime() + 3_600_000),
    );
    const doc = (await ctx.http.get('/openapi.json')).body as {
      paths: Record<string, Record<string, Operation>>;
    };
    const before = await snapshot(ctx.db);
    const misses: string[] = [];
    let checked = 0;
    let routes = 0;

    for (const [path, byMethod] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(byMethod)) {
        routes++;
        const security = JSON.stringify(op.security);
        const token = security.includes('staffToken')
          ? staffToken
          : security.includes('clientToken')
            ? clientToken
            : undefined;
        const params = op.parameters ?? [];
        const pathValues = Object.fromEntries(
          params
            .filter((p) => p.in === 'path')
            .map((p) => [p.name, p.name === 'slug' ? practice.slug : String(validValue(p.schema, p.name))]),
        );
        const query = Object.fromEntries(
          params
            .filter((p) => p.in === 'query' && p.required)
            .map((p) => [p.name, String(validValue(p.schema, p.name))]),
        );
        const bodySchema = op.requestBody?.content['application/json'].schema;
        const body = bodySchema ? (validValue(bodySchema, '') as Record<string, unknown>) : undefined;

        const send = async (
          what: string,
          field: string,
          p: Record<string, string>,
          q: Record<string, string>,
          b?: unknown,
        ) => {
          const url =
            path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(p[name])) +
            (Object.keys(q).length ? `?${new URLSearchParams(q)}` : '');
          const res = await ctx.http.request(method.toUpperCase(), url, {
            token,
            ...(b !== undefined ? { rawBody: JSON.stringify(b) } : {}),
          });
          checked++;
          if (res.status !== 400 || res.body?.field !== field)
            misses.push(
              `${method.toUpperCase()} ${path} ${field} = ${JSON.stringify(what)}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`,
            );
        };

        for (const param of params) {
          for (const hostile of IN_URLS) {
            if (param.in === 'path')
              await send(hostile, param.name, { ...pathValues, [param.name]: hostile }, query, body);
            else await send(hostile, param.name, pathValues, { ...query, [param.name]: hostile }, body);
          }
        }
        if (!bodySchema) continue;
        for (const { pointer, multiline } of stringFields(bodySchema)) {
          if (!pointer) continue;
          for (const hostile of [...EVERYWHERE, ...(multiline ? [] : SINGLE_LINE_ONLY)]) {
            const hostileBody = structuredClone(body) as Record<string, unknown>;
            setAt(hostileBody, pointer, hostile, bodySchema);
            await send(hostile, pointer, pathValues, query, hostileBody);
          }
        }
      }
    }
    expect(misses, misses.join('\n')).to.deep.equal([]);
    expect(routes).to.be.greaterThan(30);
    expect(checked).to.be.greaterThan(300);
    expect(await snapshot(ctx.db), 'a refused request wrote nothing').to.deep.equal(before);
    this.test!.title += ` (${routes} routes, ${checked} requests)`;
  });

  it('free-text fields (notes, reasons, messages) keep tabs and line breaks; one-line fields and dates refuse what cannot be stored', async () => {
    const doc = (await ctx.http.get('/openapi.json')).body as {
      paths: Record<string, Record<string, Operation>>;
    };
    const multiline: string[] = [];
    for (const [path, byMethod] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(byMethod)) {
        const schema = op.requestBody?.content['application/json'].schema;
        if (!schema) continue;
        for (const { pointer, multiline: several } of stringFields(schema)) {
          if (!several) continue;
          multiline.push(`${method.toUpperCase()} ${path} ${pointer}`);
          const body = validValue(schema, '') as Record<string, unknown>;
          setAt(body, pointer, 'First line,\r\n\tsecond line.\nÜñíçødé 田中 👩‍👩‍👧', schema);
          expect(() => validate(schema as Schema, body, 'body'), `${path} ${pointer}`).to.not.throw();
        }
      }
    }
    expect(multiline.some((f) => f.endsWith('/note'))).to.equal(true);
    expect(multiline.some((f) => f.endsWith('/reason'))).to.equal(true);
    expect(multiline.some((f) => f.endsWith('/message'))).to.equal(true);

    const instant: Schema = { type: 'object', properties: { at: { type: 'string', format: 'date-time' } } };
    for (const bad of [
      '0000-01-01T00:00:00Z',
      '2026-06-30T23:59:60Z',
      '0001-01-01T00:30:00+01:00',
      '2026-02-30T10:00:00Z',
    ])
      expect(() => validate(instant, { at: bad }, 'body'), bad)
        .to.throw()
        .with.property('extra')
        .that.deep.equals({ field: '/at' });
    expect(validate(instant, { at: '0001-01-01T00:00:00Z' }, 'body')).to.deep.equal({
      at: '0001-01-01T00:00:00Z',
    });
    const day: Schema = { type: 'object', properties: { on: { type: 'string', format: 'date' } } };
    expect(() => validate(day, { on: '0000-01-01' }, 'body'))
      .to.throw()
      .with.property('extra')
      .that.deep.equals({ field: '/on' });
  });

  it('dates PostgreSQL or Date cannot hold get 400 on the routes that take them, never 500', async () => {
    const practice = await aPractice(ctx.db);
    const admin = await aStaffUser(ctx.db, practice, { role: 'admin_clinician' });
    const clinician = await aClinician(ctx.db, practice);
    const token = await ctx.http.signIn(admin.email, fixturePassword);
    const before = await snapshot(ctx.db);
    for (const bad of ['0000-01-01T00:00:00Z', '2026-06-30T23:59:60Z']) {
      const calendar = await ctx.http.get(
        `/api/appointments?from=${encodeURIComponent(bad)}&to=2026-07-01T00:00:00Z`,
        { token },
      );
      expect(calendar.status, bad).to.equal(400);
      expect(calendar.body.field).to.equal('from');
      const timeOff = await ctx.http.post(
        `/api/clinicians/${clinician.id}/time-off`,
        { startsAt: bad, endsAt: '2026-07-01T00:00:00Z' },
        { token },
      );
      expect(timeOff.status, bad).to.equal(400);
      expect(timeOff.body.field).to.equal('/startsAt');
    }
    const rule = await ctx.http.post(
      `/api/clinicians/${clinician.id}/availability-rules`,
      {
        rrule: 'FREQ=WEEKLY;BYDAY=MO',
        startDate: '0000-01-01',
        startTime: '09:00',
        endTime: '17:00',
        timeZone: 'Europe/London',
      },
      { token },
    );
    expect(rule.status).to.equal(400);
    expect(rule.body.field).to.equal('/startDate');
    const named = await ctx.http.post(
      '/api/services',
      { name: 'Intake\u0000', durationMinutes: 50 },
      { token },
    );
    expect(named.status).to.equal(400);
    expect(named.body.field).to.equal('/name');
    expect(await snapshot(ctx.db)).to.deep.equal(before);
  });

  it('a data exception from PostgreSQL that slipped past a schema answers 400, never 500, and is logged without the value', async () => {
    const lines: string[] = [];
    const app = express();
    app.post('/echo', async () => {
      await ctx.db.sequelize.query('SELECT $1::jsonb', {
        bind: [JSON.stringify({ note: 'Divorce hearing \u0000' })],
      });
    });
    app.use(errorHandler(createLogger('info', 'test', { write: (l: string) => void lines.push(l) })));
    const server = app.listen(0);
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/echo`, {
        method: 'POST',
      });
      expect(res.status).to.equal(400);
      expect(await res.json()).to.include({ code: 'VALIDATION_FAILED', field: '/' });
    } finally {
      server.close();
    }
    expect(JSON.parse(lines[0]).err).to.include({ type: 'SequelizeDatabaseError', code: '22P05' });
    expect(lines.join('\n')).to.not.include('Divorce');
  });
});
