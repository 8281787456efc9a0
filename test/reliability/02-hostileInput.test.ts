import { expect } from 'chai';
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { QueryTypes } from 'sequelize';
import { MAX_PENDING_PER_EMAIL } from '../../booking/submitRequest';
import { SUBMISSIONS_PER_ADDRESS } from '../../api/submissionLimit';
import { aClient } from '../fixtures';
import {
  aSubmission,
  aWorld,
  emailProblems,
  invariantViolations,
  useReliabilityStack,
  sized,
  submit,
  visitorAddress,
  type World,
} from './harness';
import type { Store } from '../../models/store';

// Everything a request could have written. Sessions (last seen) and auth_failures (rate-limit counts) are
// bookkeeping that a refused request is meant to touch, so they are left out.
const DOMAIN_TABLES = [
  'practices',
  'staff_users',
  'services',
  'booking_preferences',
  'availability_rules',
  'time_off',
  'clients',
  'client_sign_in_codes',
  'email_verifications',
  'revoked_client_tokens',
  'time_holds',
  'appointment_requests',
  'appointments',
  'notifications',
  'audit_log',
];

/** Row count and a content hash of every domain table, in one round trip. */
async function snapshot(db: Store): Promise<Map<string, string>> {
  const sql = DOMAIN_TABLES.map(
    (t) =>
      `SELECT '${t}' AS t, count(*) AS n, md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS h FROM ${t} x`,
  ).join(' UNION ALL ');
  const rows = await db.sequelize.query<{ t: string; n: string; h: string }>(sql, {
    type: QueryTypes.SELECT,
  });
  return new Map(rows.map((r) => [r.t, `${r.n}:${r.h}`]));
}

/** One HTTP exchange with full control of method, path, headers and raw body (fetch refuses much of it). */
const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
function send(
  base: string,
  req: { method: string; path: string; headers: Record<string, string>; body?: string },
): Promise<{ status: number; contentType: string; text: string }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const r = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: req.method,
        path: req.path,
        headers:
          req.body === undefined
            ? req.headers
            : { ...req.headers, 'content-length': Buffer.byteLength(req.body) },
        agent,
        timeout: 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    r.on('timeout', () => r.destroy(new Error('timed out')));
    r.on('error', reject);
    r.end(req.body);
  });
}

// Payloads an attacker tries first: SQL, HTML and script, template and path tricks, prototype keys, edge numbers.
const PAYLOADS = [
  "' OR '1'='1",
  "'; DROP TABLE clients; --",
  '1) UNION SELECT password_hash FROM staff_users --',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(document.cookie)>',
  '"><svg/onload=alert(1)>',
  '${7*7}{{7*7}}',
  '../../../../etc/passwd',
  '%00',
  '\u0000',
  '__proto__',
  'constructor',
  'prototype',
  'NaN',
  '-1',
  '1e309',
  '9'.repeat(400),
  '',
  ' ',
  'null',
  'true',
  '[]',
  '{}',
  '2026-02-30T25:61:00Z',
  '00000000-0000-0000-0000-000000000000',
  'Ω≈ç√∫˜µ≤≥÷ 田中さん 👩‍👩‍👧‍👦 \u202e\u200b',
];
const SPECIAL_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty'];

const hostileString = fc.oneof(
  fc.constantFrom(...PAYLOADS),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.integer({ min: 1_000, max: 70_000 }).map((n) => 'x'.repeat(n)),
);

function hostileValue(keys: string[]): fc.Arbitrary<unknown> {
  const { value } = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      hostileString,
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(
        fc.oneof(fc.constantFrom(...SPECIAL_KEYS, ...keys), fc.string({ maxLength: 10 })),
        tie('value'),
        {
          maxKeys: 4,
        },
      ),
    ),
  }));
  return value;
}

/** A body the way an attacker would send it: wrong types, the route's own keys with hostile values, raw text. */
function hostileBody(schemaKeys: string[]): fc.Arbitrary<{ text: string; contentType: string | null }> {
  const json = (arb: fc.Arbitrary<unknown>) => arb.map((v) => JSON.stringify(v) ?? 'null');
  const deep = fc
    .tuple(fc.integer({ min: 50, max: 20_000 }), fc.boolean())
    .map(([d, arrays]) => (arrays ? '['.repeat(d) + ']'.repeat(d) : '{"a":'.repeat(d) + '1' + '}'.repeat(d)));
  const text = fc.oneof(
    json(hostileValue(schemaKeys)),
    json(
      fc.dictionary(fc.constantFrom(...schemaKeys, ...SPECIAL_KEYS), hostileValue(schemaKeys), {
        minKeys: 1,
        maxKeys: 6,
      }),
    ),
    fc.constantFrom(...SPECIAL_KEYS).map((k) => `{"${k}":{"polluted":true,"isAdmin":true}}`),
    deep,
    fc.string({ maxLength: 200 }),
  );
  const contentType = fc.oneof(
    { weight: 6, arbitrary: fc.constant('application/json') },
    fc.constantFrom(
      null,
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/json; charset=utf-16',
      'application/json; charset=latin1',
      'multipart/form-data; boundary=x',
    ),
  );
  return fc.record({ text, contentType });
}

/** Header values Node's HTTP client will put on the wire (visible ASCII and Latin-1 only). */
const headerValue = hostileString.map((s) => s.replace(/[^\t\x20-\x7e\x80-\xff]/g, '?'));
const headerName = fc.oneof(
  fc.constantFrom(
    'idempotency-key',
    'accept',
    'accept-language',
    'origin',
    'x-http-method-override',
    'range',
    'cookie',
  ),
  fc.stringMatching(/^x-[a-z0-9-]{1,20}$/),
);

interface Operation {
  method: string;
  path: string;
  auth: 'staff' | 'client' | 'public' | 'optional';
  pathParams: string[];
  queryParams: string[];
  bodyKeys: string[] | null;
}

function operations(doc: {
  paths: Record<
    string,
    Record<
      string,
      {
        security: unknown[];
        parameters?: { in: string; name: string }[];
        requestBody?: {
          content: { 'application/json': { schema: { properties?: Record<string, unknown> } } };
        };
      }
    >
  >;
}): Operation[] {
  const ops: Operation[] = [];
  for (const [path, byMethod] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(byMethod)) {
      const security = JSON.stringify(op.security);
      ops.push({
        method: method.toUpperCase(),
        path,
        auth: security.includes('staffToken')
          ? 'staff'
          : security === '[{},{"clientToken":[]}]'
            ? 'optional'
            : security.includes('clientToken')
              ? 'client'
              : 'public',
        pathParams: (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
        bodyKeys: op.requestBody
          ? Object.keys(op.requestBody.content['application/json'].schema.properties ?? {})
          : null,
      });
    }
  }
  return ops;
}

/** Issue item 6: generated hostile bodies, headers and query strings against every route in /openapi.json. */
describe('reliability: hostile input (item 6)', function () {
  const stack = useReliabilityStack();
  let world: World;
  let clientToken: string;
  let pendingId: string;
  before(async () => {
    world = await aWorld(stack);
    const client = await aClient(stack.db, world.practice);
    const asked = await stack.http.post(
      `/portal/${world.practice.slug}/auth/code`,
      { email: client.email },
      { headers: { 'x-forwarded-for': visitorAddress() } },
    );
    expect(asked.status).to.equal(202);
    const code = /\b(\d{6})\b/.exec(
      (await stack.capture.waitFor((e) => e.to.includes(client.email), 20_000)).text!,
    )![1];
    const verified = await stack.http.post(`/portal/${world.practice.slug}/auth/verify`, {
      email: client.email,
      code,
    });
    expect(verified.status).to.equal(200);
    clientToken = verified.body.token as string;
    for (const secret of [code, clientToken, client.email, client.lastName]) stack.secrets.add(secret);
    const created = await submit(stack, world, aSubmission(world));
    expect(created.status).to.equal(201);
    pendingId = created.body.id as string;
    // Its workflow writes the clinician's bell item moments later: let it, so the snapshots below stay still.
    expect((await emailProblems(stack, [pendingId])).problems).to.deep.equal([]);
  });

  it('every route answers generated hostile requests with 4xx (never 5xx), and a refused request writes nothing', async function () {
    const doc = (await stack.http.get('/openapi.json')).body;
    const ops = operations(doc);
    expect(ops.length, 'routes in /openapi.json').to.be.greaterThan(30);
    const runs = sized(50, 300);
    const tally = new Map<number, number>();
    const knownIds = [pendingId, world.clinicians[0].id, world.service.id, world.admin.id, randomUUID()];

    for (const op of ops) {
      // Real ids reach deeper code; only where a hostile request cannot act on them (reads, or a body to refuse).
      const ids = op.method === 'GET' || (op.bodyKeys && op.method !== 'DELETE') ? knownIds : [randomUUID()];
      const pathValue = (name: string) =>
        fc.oneof(
          {
            weight: 3,
            arbitrary: name === 'slug' ? fc.constant(world.practice.slug) : fc.constantFrom(...ids),
          },
          hostileString.map((s) => encodeURIComponent(s.slice(0, 300))),
          fc.constantFrom('%zz', '..%2f..%2fetc', '%c0%ae', 'a%00b'),
        );
      const request = fc.record({
        pathValues: fc.tuple(...op.pathParams.map(pathValue), fc.constant('')),
        query: fc.dictionary(
          fc.oneof(
            fc.constantFrom(...op.queryParams, ...SPECIAL_KEYS, '__proto__[x]', 'a[b][c]'),
            fc.string({ maxLength: 8 }),
          ),
          hostileString.map((s) => s.slice(0, 2_000)),
          { maxKeys: 5 },
        ),
        headers: fc.dictionary(
          headerName,
          headerValue.map((v) => v.slice(0, 4_000)),
          { maxKeys: 4 },
        ),
        auth: fc.constantFrom('none', 'staff', 'client', 'garbage'),
        garbageToken: headerValue.map((v) => v.slice(0, 500)),
        body: op.bodyKeys
          ? hostileBody(op.bodyKeys).map((b) => b as { text: string; contentType: string | null } | null)
          : fc.constant(null),
        address: fc.oneof(
          { weight: 5, arbitrary: fc.constant(null) },
          headerValue.map((v) => v.slice(0, 200)),
        ),
      });
      const outcome = await fc.check(
        fc.asyncProperty(request, async (r) => {
          let path = op.path;
          op.pathParams.forEach((name, i) => (path = path.replace(`{${name}}`, r.pathValues[i] as string)));
          const query = Object.entries(r.query)
            .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
            .join('&');
          const headers: Record<string, string> = { ...r.headers };
          // Signing out with the real token would end the session the other runs use.
          const signsOut =
            (op.path === '/api/auth/logout' && r.auth === 'staff') ||
            (op.path === '/portal/{slug}/auth/logout' && r.auth === 'client');
          const auth = signsOut ? 'garbage' : r.auth;
          if (auth === 'staff') headers.authorization = `Bearer ${world.adminToken}`;
          if (auth === 'client') headers.authorization = `Bearer ${clientToken}`;
          if (auth === 'garbage') headers.authorization = r.garbageToken;
          headers['x-forwarded-for'] = r.address ?? visitorAddress();
          if (r.body?.contentType) headers['content-type'] = r.body.contentType;
          const before = await snapshot(stack.db);
          const target = `${path}${query ? `?${query}` : ''}`;
          const res = await send(stack.apiUrl, {
            method: op.method,
            path: target,
            headers,
            body: r.body?.text,
          }).catch((err: unknown) => ({ status: 0, contentType: '', text: String(err) }));
          tally.set(res.status, (tally.get(res.status) ?? 0) + 1);
          const what = `${op.method} ${op.path} -> ${res.status} ${res.text.slice(0, 300)}`;
          if (res.status === 0) {
            // Node's HTTP server answers an oversized head (431) or body (413) and closes the socket, which the
            // client, still sending, may see as a reset. Only for oversized requests, and the server lives on.
            const headBytes =
              target.length + Object.entries(headers).reduce((n, [k, v]) => n + k.length + v.length, 0);
            const oversized = headBytes > 14_000 || Buffer.byteLength(r.body?.text ?? '') > 60_000;
            expect(oversized, `${what}: a connection reset on a request of normal size`).to.equal(true);
            expect((await stack.http.get('/healthz')).status, `${what}: the API is still up`).to.equal(200);
          } else expect(res.status, what).to.be.within(200, 499);
          if (res.status >= 400 || res.status === 0) {
            if (/json/.test(res.contentType)) expect(JSON.parse(res.text).code, what).to.be.a('string');
            const after = await snapshot(stack.db);
            const changed = [...after.keys()].filter((t) => after.get(t) !== before.get(t));
            expect(changed, `${what}: a refused request wrote to these tables`).to.deep.equal([]);
          }
        }),
        { numRuns: runs, endOnFailure: true },
      );
      if (outcome.failed) {
        const example = JSON.stringify(outcome.counterexample).slice(0, 1_500);
        throw new Error(
          `${String(outcome.errorInstance)}\n(seed ${outcome.seed}) counterexample: ${example}`,
        );
      }
    }
    expect((await stack.http.get('/healthz')).status, 'the API survived').to.equal(200);
    expect(await invariantViolations(stack.db)).to.deep.equal([]);
    const summary = [...tally]
      .sort(([a], [b]) => a - b)
      .map(([s, n]) => `${s}x${n}`)
      .join(' ');
    this.test!.title += ` (${ops.length} routes x ${runs} runs: ${summary})`;
  });

  it('limits the request body: 64 kB of JSON at most, answered 413 without writing', async () => {
    const before = await snapshot(stack.db);
    const s = aSubmission(world);
    for (const size of [70_000, 5_000_000]) {
      const res = await send(stack.apiUrl, {
        method: 'POST',
        path: `/portal/${world.practice.slug}/requests`,
        headers: { 'content-type': 'application/json', 'x-forwarded-for': visitorAddress() },
        body: JSON.stringify({ ...s.body, message: 'm'.repeat(size) }),
      }).catch((err: unknown) => ({ status: 0, contentType: '', text: String(err) }));
      // The server may close the connection mid-upload after answering; what matters is it never took the body.
      if (res.status !== 0) {
        expect(res.status, res.text).to.equal(413);
        expect(JSON.parse(res.text).code).to.equal('PAYLOAD_TOO_LARGE');
      }
    }
    expect(await snapshot(stack.db)).to.deep.equal(before);
  });

  // The caps are counted on a practice of their own: a generated request the API accepted above may have changed
  // the shared practice's settings (its slug, a service taken offline), as staff may.
  it(`caps pending requests per email at ${MAX_PENDING_PER_EMAIL}, whatever the case of the address`, async () => {
    const world = await aWorld(stack);
    const person = world.person();
    const answers = [];
    for (let i = 0; i <= MAX_PENDING_PER_EMAIL; i++) {
      const s = aSubmission(world);
      s.body.newClient = { ...person, email: i % 2 ? person.email.toUpperCase() : person.email };
      answers.push(await submit(stack, world, s));
    }
    expect(answers.map((a) => a.status)).to.deep.equal([...Array(MAX_PENDING_PER_EMAIL).fill(201), 429]);
    expect(answers.at(-1)!.body.code).to.equal('TOO_MANY_PENDING_REQUESTS');
  });

  it(`caps submissions per network address at ${SUBMISSIONS_PER_ADDRESS.max} an hour (refused slots count too)`, async () => {
    const world = await aWorld(stack);
    const address = visitorAddress();
    const taken = world.nextSlot();
    const statuses: number[] = [];
    for (let i = 0; i < SUBMISSIONS_PER_ADDRESS.max; i++) {
      const s = aSubmission(world, i < 2 ? taken : undefined);
      s.address = address;
      statuses.push((await submit(stack, world, s)).status);
    }
    expect(statuses).to.deep.equal([201, 409, ...Array(SUBMISSIONS_PER_ADDRESS.max - 2).fill(201)]);
    const over = aSubmission(world);
    over.address = address;
    const refused = await submit(stack, world, over);
    expect(refused.status).to.equal(429);
    expect(refused.body.code).to.equal('RATE_LIMITED');
    expect(Number(refused.headers.get('retry-after'))).to.be.within(
      1,
      SUBMISSIONS_PER_ADDRESS.windowMinutes * 60,
    );
    const [row] = await stack.db.sequelize.query<{ n: string }>(
      "SELECT count(*) AS n FROM appointment_requests WHERE new_client->>'email' = :email",
      { replacements: { email: over.body.newClient.email }, type: QueryTypes.SELECT },
    );
    expect(row.n, 'the refused submission recorded nothing').to.equal('0');
    const elsewhere = aSubmission(world);
    expect((await submit(stack, world, elsewhere)).status, 'another network is not affected').to.equal(201);
  });
});
