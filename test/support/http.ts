/** A response as a test looks at it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- bodies are asserted field by field
export interface TestResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** A tiny fetch wrapper for API tests: JSON in, JSON (or problem+json) out. */
export function httpClient(baseUrl: string) {
  async function request(
    method: string,
    path: string,
    opts: { body?: unknown; token?: string; headers?: Record<string, string>; rawBody?: string } = {},
  ): Promise<TestResponse> {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined = opts.rawBody;
    if (opts.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.body);
    } else if (opts.rawBody !== undefined) {
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(`${baseUrl}${path}`, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    if (text && /json/.test(res.headers.get('content-type') ?? '')) parsed = JSON.parse(text);
    return { status: res.status, headers: res.headers, body: parsed };
  }
  return {
    request,
    get: (path: string, opts?: Parameters<typeof request>[2]) => request('GET', path, opts),
    post: (path: string, body?: unknown, opts?: Parameters<typeof request>[2]) =>
      request('POST', path, { ...opts, body }),
    put: (path: string, body?: unknown, opts?: Parameters<typeof request>[2]) =>
      request('PUT', path, { ...opts, body }),
    patch: (path: string, body?: unknown, opts?: Parameters<typeof request>[2]) =>
      request('PATCH', path, { ...opts, body }),
    delete: (path: string, opts?: Parameters<typeof request>[2]) => request('DELETE', path, opts),
    /** Signs a staff user in and returns the bearer token. */
    async signIn(email: string, password: string): Promise<string> {
      const res = await request('POST', '/api/auth/login', { body: { email, password } });
      if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${JSON.stringify(res.body)}`);
      return (res.body as { token: string }).token;
    },
  };
}

export type HttpClient = ReturnType<typeof httpClient>;
