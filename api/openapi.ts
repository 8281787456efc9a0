import { createRequire } from 'node:module';
import path from 'node:path';
import express, { Router } from 'express';
import type { RouteDef, RouteRegistry } from './route';

function securityOf(auth: RouteDef['auth']): unknown[] {
  if (auth === 'public') return [];
  if (auth === 'staff') return [{ staffToken: [] }];
  if (auth === 'client') return [{ clientToken: [] }];
  return [{}, { clientToken: [] }];
}

/** The OpenAPI 3.1 document of every registered route, built from the schemas the server validates with. */
export function buildOpenApi(registry: RouteRegistry, serverUrl: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of registry.routes) {
    const oaPath = route.path.replace(/:([A-Za-z]+)/g, '{$1}');
    const parameters: unknown[] = [];
    for (const [where, schema] of [
      ['path', route.params],
      ['query', route.query],
    ] as const) {
      const props = (schema?.properties ?? {}) as Record<string, unknown>;
      const required = new Set((schema?.required as string[] | undefined) ?? []);
      for (const [name, s] of Object.entries(props)) {
        parameters.push({ name, in: where, required: where === 'path' || required.has(name), schema: s });
      }
    }
    const responses: Record<string, unknown> = {};
    for (const [status, r] of Object.entries(route.responses)) {
      responses[status] =
        typeof r === 'string'
          ? { description: r }
          : { description: r.description, content: { 'application/json': { schema: r.schema } } };
    }
    responses.default = {
      description: 'An RFC 9457 problem',
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    };
    paths[oaPath] ??= {};
    paths[oaPath][route.method] = {
      summary: route.summary,
      tags: [route.tag],
      security: securityOf(route.auth),
      ...(parameters.length ? { parameters } : {}),
      ...(route.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: route.body } } } }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Practice booking API',
      version: '0.1.0',
      description: 'Online booking for therapy and clinical practices.',
    },
    servers: [{ url: serverUrl }],
    paths,
    components: {
      securitySchemes: {
        staffToken: { type: 'http', scheme: 'bearer', description: 'From POST /api/auth/login' },
        clientToken: { type: 'http', scheme: 'bearer', description: 'From POST /portal/{slug}/auth/verify' },
      },
      schemas: {
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status', 'code'],
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            code: { type: 'string' },
            field: { type: 'string', description: 'The failing field, for 400s' },
          },
        },
      },
    },
  };
}

/** /openapi.json and interactive docs at /docs (Swagger UI served from the installed package, no CDN). */
export function openApiRouter(registry: RouteRegistry, serverUrl: string): Router {
  const router = Router();
  let doc: Record<string, unknown> | null = null;
  router.get('/openapi.json', (_req, res) => {
    doc ??= buildOpenApi(registry, serverUrl);
    res.json(doc);
  });
  const require = createRequire(import.meta.url);
  const uiDir = path.dirname(require.resolve('swagger-ui-dist/package.json'));
  router.get('/docs', (_req, res) => {
    res.type('html').send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Practice booking API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="ui"></div><script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script></body></html>`);
  });
  router.get('/docs/init.js', (_req, res) => {
    res
      .type('application/javascript')
      .send("window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#ui' });");
  });
  router.use('/docs/assets', express.static(uiDir, { index: false }));
  return router;
}
