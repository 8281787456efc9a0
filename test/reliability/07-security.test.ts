import { expect } from 'chai';
import { aClient, fixturePassword } from '../fixtures';
import {
  ALLOWED_ORIGIN,
  aSubmission,
  aWorld,
  decide,
  emailProblems,
  useReliabilityStack,
  sized,
  submit,
  visitorAddress,
  waitForFinal,
  type World,
} from './harness';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/** Every string in a value, with byte arrays (Temporal payloads) read as UTF-8. */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (value instanceof Uint8Array) out.push(Buffer.from(value).toString('utf8'));
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) strings(v, out);
  return out;
}

/**
 * Whether secret occurs in text. A 6-digit code is only found standing alone: inside a longer run of digits or hex
 * (a timestamp, a UUID) or as a file position (`bundle.js:123:649531`) it is a coincidence, met by chance among
 * the hundreds of codes a run sends and the thousands of numbers its logs hold. A leak is still found wherever a
 * code is written as text: `"code":"649531"`, `code: 649531`, `is 649531.`.
 */
function appears(text: string, secret: string): boolean {
  if (!/^\d+$/.test(secret)) return text.includes(secret);
  return new RegExp(`(?<![0-9a-f:])${secret}(?![0-9a-f:])`, 'i').test(text);
}

/** Issue item 7: security headers, CORS for the configured origins only, no secrets or personal data where they leak. */
describe('reliability: security headers, CORS, secrets and personal data (item 7)', function () {
  const stack = useReliabilityStack();
  let world: World;
  before(async () => {
    world = await aWorld(stack);
  });

  it('sends helmet security headers on every kind of answer, and /docs works under its Content-Security-Policy', async () => {
    for (const path of [
      '/healthz',
      '/openapi.json',
      `/portal/${world.practice.slug}`,
      '/no/such/route',
      '/docs',
    ]) {
      const res = await fetch(`${stack.apiUrl}${path}`);
      const h = res.headers;
      const csp = h.get('content-security-policy') ?? '';
      expect(csp, path).to.include("default-src 'self'");
      expect(csp, path).to.match(/script-src 'self'(;|$)/);
      expect(csp, path).to.include("object-src 'none'");
      expect(csp, path).to.include("frame-ancestors 'self'");
      expect(csp, `${path}: no upgrade outside production`).to.not.include('upgrade-insecure-requests');
      expect(h.get('x-content-type-options'), path).to.equal('nosniff');
      expect(h.get('x-frame-options'), path).to.equal('SAMEORIGIN');
      expect(h.get('strict-transport-security'), path).to.match(/max-age=\d+/);
      expect(h.get('referrer-policy'), path).to.equal('no-referrer');
      expect(h.get('cross-origin-opener-policy'), path).to.equal('same-origin');
      expect(h.get('x-powered-by'), path).to.equal(null);
    }
    const docs = await fetch(`${stack.apiUrl}/docs`);
    expect(docs.status).to.equal(200);
    const html = await docs.text();
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).to.be.greaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(body.trim(), 'no inline script: CSP script-src is self only').to.equal('');
      const src = /src="([^"]+)"/.exec(attrs)![1];
      expect(src, 'scripts come from this origin').to.match(/^\//);
      const js = await fetch(`${stack.apiUrl}${src}`);
      expect([js.status, js.headers.get('content-type')], src).to.satisfy(
        ([status, type]: [number, string]) => status === 200 && /javascript/.test(type),
      );
    }
    expect(html, 'no inline event handlers').to.not.match(/\son[a-z]+=/i);
    for (const [, href] of html.matchAll(/<link[^>]+href="([^"]+)"/g)) {
      expect((await fetch(`${stack.apiUrl}${href}`)).status, href).to.equal(200);
    }
  });

  it(`allows cross-origin calls from ${ALLOWED_ORIGIN} only, without credentials`, async () => {
    const preflight = (origin: string) =>
      fetch(`${stack.apiUrl}/portal/${world.practice.slug}/requests`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,idempotency-key',
        },
      });
    const allowed = await preflight(ALLOWED_ORIGIN);
    expect(allowed.status).to.equal(204);
    expect(allowed.headers.get('access-control-allow-origin')).to.equal(ALLOWED_ORIGIN);
    expect(allowed.headers.get('access-control-allow-methods')).to.include('POST');
    expect(allowed.headers.get('access-control-allow-headers')?.toLowerCase()).to.include('idempotency-key');
    expect(allowed.headers.get('access-control-allow-credentials')).to.equal(null);
    expect(allowed.headers.get('vary')?.toLowerCase()).to.include('origin');
    for (const origin of [
      'https://evil.example',
      'null',
      `${ALLOWED_ORIGIN}.evil.example`,
      'http://portal.example.test',
    ]) {
      const refused = await preflight(origin);
      expect(refused.headers.get('access-control-allow-origin'), origin).to.equal(null);
      const simple = await fetch(`${stack.apiUrl}/portal/${world.practice.slug}`, { headers: { origin } });
      expect(simple.headers.get('access-control-allow-origin'), origin).to.equal(null);
    }
    const simple = await fetch(`${stack.apiUrl}/portal/${world.practice.slug}`, {
      headers: { origin: ALLOWED_ORIGIN },
    });
    expect(simple.headers.get('access-control-allow-origin')).to.equal(ALLOWED_ORIGIN);
    expect(simple.headers.get('access-control-expose-headers')?.toLowerCase()).to.include('retry-after');
  });

  it('tokens, sign-in codes and personal data reach no log line; workflow ids, search attributes and histories hold no personal data', async function () {
    // A bit of everything that handles secrets: staff sign-in (good and bad), a client's code sign-in, requests.
    const client = await aClient(stack.db, world.practice);
    for (const v of [client.email, client.lastName, client.phone!]) stack.secrets.add(v);
    expect(
      (await stack.http.post(`/portal/${world.practice.slug}/auth/code`, { email: client.email })).status,
    ).to.equal(202);
    const codeEmail = await stack.capture.waitFor((e) => e.to.includes(client.email), 20_000);
    const code = /\b(\d{6})\b/.exec(codeEmail.text!)![1];
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    await stack.http.post(`/portal/${world.practice.slug}/auth/verify`, { email: client.email, code: wrong });
    const verified = await stack.http.post(`/portal/${world.practice.slug}/auth/verify`, {
      email: client.email,
      code,
    });
    expect(verified.status).to.equal(200);
    const clientToken = verified.body.token as string;
    const staffToken = await stack.http.signIn(world.admin.email, fixturePassword);
    await stack.http.post('/api/auth/login', { email: world.admin.email, password: `${fixturePassword}!` });
    for (const v of [code, clientToken, staffToken, world.admin.email, `${fixturePassword}!`])
      stack.secrets.add(v);
    const mine = await stack.http.post(
      `/portal/${world.practice.slug}/requests`,
      { ...world.nextSlot(), serviceId: world.service.id },
      { token: clientToken, headers: { 'x-forwarded-for': visitorAddress() } },
    );
    expect(mine.status, JSON.stringify(mine.body)).to.equal(201);
    const theirs = await submit(stack, world, aSubmission(world));
    expect(theirs.status).to.equal(201);
    expect((await decide(stack, world, mine.body.id as string, 'approve')).status).to.equal(200);
    expect((await decide(stack, world, theirs.body.id as string, 'decline')).status).to.equal(200);
    await waitForFinal(stack, [mine.body.id as string, theirs.body.id as string]);
    await emailProblems(stack, [mine.body.id as string, theirs.body.id as string]);

    // Every line every process wrote in this run, all suites included.
    const logs = stack.logs.all();
    // Each finding with the line it stands in, so a failure says where it leaked (or what it coincided with).
    const leaked = [...stack.secrets]
      .filter((s) => s.length >= 6 && appears(logs, s))
      .map(
        (s) =>
          `${s} in: ${logs
            .split('\n')
            .find((line) => appears(line, s))
            ?.slice(0, 400)}`,
      );
    expect(leaked, 'secrets or personal data in the logs').to.deep.equal([]);
    expect(logs, 'no bearer token (JWT) in the logs').to.not.match(/eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]{8,}/);
    expect(logs, 'no full test address in the logs').to.not.match(/[a-z0-9.]+@example\.test/i);

    const workflows: { id: string; attributes: Record<string, unknown> }[] = [];
    for await (const w of stack.temporal.workflow.list()) {
      workflows.push({ id: w.workflowId, attributes: w.searchAttributes as Record<string, unknown> });
    }
    expect(workflows.length).to.be.greaterThan(0);
    for (const w of workflows) {
      // appointment-<id> is an appointment's reminders (issue 15).
      expect(w.id).to.match(new RegExp(`^(appointment(-request|-cancel)?|portal-email)-${UUID}$`));
      // A portal code email carries its code row's id and nothing else, not even a practice to filter on.
      if (w.id.startsWith('portal-email-')) {
        expect(
          Object.keys(w.attributes).filter((k) => k.startsWith('Booking')),
          w.id,
        ).to.deep.equal([]);
        continue;
      }
      expect(w.attributes.BookingPracticeId, w.id).to.satisfy((v: unknown[]) =>
        v.every((x) => new RegExp(`^${UUID}$`).test(String(x))),
      );
      expect(w.attributes.BookingClinicianId, w.id).to.satisfy((v: unknown[]) =>
        v.every((x) => new RegExp(`^${UUID}$`).test(String(x))),
      );
      expect(w.attributes.BookingStatus, w.id).to.satisfy((v: unknown[]) =>
        v.every((x) => /^[a-z_]+$/.test(String(x))),
      );
    }
    const checked = workflows.slice(0, sized(60, workflows.length));
    const inHistory: string[] = [];
    for (const w of checked) {
      const text = strings(await stack.temporal.workflow.getHandle(w.id).fetchHistory()).join('\n');
      for (const s of stack.secrets) if (s.length >= 6 && appears(text, s)) inHistory.push(`${w.id}: ${s}`);
    }
    expect(inHistory, 'secrets or personal data in workflow histories').to.deep.equal([]);
    this.test!.title += ` (${stack.secrets.size} secrets and personal values against ${logs.split('\n').length} log lines, ${workflows.length} workflows, ${checked.length} histories)`;
  });
});
