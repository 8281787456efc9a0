import type { Request, RequestHandler, Response, Router } from 'express';
import { validate, type Schema } from './validation';

/** Who may call a route: anyone, a signed-in staff user, a signed-in portal client, or anyone with an optional client token. */
export type RouteAuth = 'public' | 'staff' | 'client' | 'optional-client';

/** One HTTP route: its schemas (validated here, published in the OpenAPI document) and its handler. */
export interface RouteDef {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  summary: string;
  tag: string;
  auth: RouteAuth;
  params?: Schema;
  query?: Schema;
  body?: Schema;
  /** Status → description (and schema for success bodies). */
  responses: Record<number, string | { description: string; schema: Schema }>;
  handler: (req: Request, res: Response) => Promise<void> | void;
}

/** Collects every mounted route so /openapi.json is built from the same definitions the server runs. */
export class RouteRegistry {
  readonly routes: RouteDef[] = [];

  /** Mounts defs on router behind the given auth middleware, validating params, query and body first. */
  mount(router: Router, defs: RouteDef[], authFor: (auth: RouteAuth) => RequestHandler[]): void {
    for (const def of defs) {
      this.routes.push(def);
      const handler: RequestHandler = async (req, res) => {
        if (def.params) validate(def.params, req.params, 'params');
        if (def.query) {
          // Express 5's req.query is a getter; validated (and coerced) values are kept on res.locals.
          const query = { ...(req.query as Record<string, unknown>) };
          res.locals.query = validate(def.query, query, 'query');
        }
        if (def.body) req.body = validate(def.body, req.body ?? {}, 'body');
        else if (def.method !== 'get' && def.method !== 'delete') req.body = {};
        await def.handler(req, res);
      };
      router[def.method](def.path, ...authFor(def.auth), handler);
    }
  }
}
