/** An RFC 9457 problem from the API (or a network failure, status 0), with the stable code and failing field. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly field?: string,
    readonly body: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = 'ApiError';
  }
}

export interface CallOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  token?: string | null;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

function parse(text: string): Record<string, unknown> | null {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** Calls the JSON API. The Accept header is what makes /portal/... answer with data rather than this app. */
export async function call<T>(path: string, opts: CallOptions = {}): Promise<T> {
  return (await exchange<T>(path, opts)).data;
}

/** One page of a list and the address of the next (from `Link: <…>; rel="next"`), null on the last page. */
export interface Page<T> {
  items: T[];
  next: string | null;
}

/** Calls a paged list: its items, and where the next page is. */
export async function callPage<T>(path: string, opts: CallOptions = {}): Promise<Page<T>> {
  const { data, headers } = await exchange<T[]>(path, opts);
  const next = /<([^>]+)>\s*;\s*rel="next"/.exec(headers.get('link') ?? '');
  return { items: data, next: next ? next[1] : null };
}

async function exchange<T>(path: string, opts: CallOptions): Promise<{ data: T; headers: Headers }> {
  // The header is the dashboard's CSRF proof for its cookie session (api/auth/cookies.ts): another site's page
  // cannot send it without a CORS preflight the API never grants.
  const headers: Record<string, string> = {
    accept: 'application/json',
    'x-requested-with': 'dashboard',
    ...opts.headers,
  };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  let res: Response;
  try {
    res = await fetch(path, {
      method: opts.method ?? 'GET',
      headers,
      body,
      signal: opts.signal,
      credentials: 'same-origin',
    });
  } catch (err) {
    if (opts.signal?.aborted) throw err;
    throw new ApiError(0, 'NETWORK', 'We could not reach the server. Check your connection and try again.');
  }
  if (res.status === 204) return { data: undefined as T, headers: res.headers };
  const data = parse(await res.text());
  if (!res.ok) {
    const p = data ?? {};
    const detail =
      typeof p.detail === 'string'
        ? p.detail
        : res.status >= 500
          ? 'Something went wrong on our side. Please try again in a moment.'
          : `The request failed (${res.status}).`;
    throw new ApiError(
      res.status,
      typeof p.code === 'string' ? p.code : `HTTP_${res.status}`,
      detail,
      typeof p.field === 'string' ? p.field : undefined,
      p,
    );
  }
  return { data: data as T, headers: res.headers };
}

/**
 * The problem's sentence for a form field, if it names that field: `email` matches `/newClient/email` (the last
 * part of the pointer), `/newClient/email` matches only itself.
 */
export function fieldError(err: unknown, field: string): string | undefined {
  if (!(err instanceof ApiError) || !err.field) return undefined;
  if (field.startsWith('/')) return err.field === field ? err.detail : undefined;
  const last = err.field.split('/').filter(Boolean).pop();
  return last === field ? err.detail : undefined;
}

/** True when the problem is said next to one of these fields, so the form must not say it a second time. */
export const shownAtField = (err: unknown, fields: readonly string[]) =>
  fields.some((f) => fieldError(err, f) !== undefined);

/** A random key for Idempotency-Key headers; randomUUID needs a secure context, getRandomValues does not. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join(
    '',
  );
}

export const isAbort = (err: unknown) => err instanceof DOMException && err.name === 'AbortError';
