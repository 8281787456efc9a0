import { expect } from 'chai';
import { isUpToDate, renderTypes, type OpenApiDocument } from '../../tools/openapiTypes';

describe('tools/openapiTypes: the web app types come from the API schemas', () => {
  it('web/src/generated/api.ts is what the current route schemas generate (run `npm run web:types` if not)', async function () {
    this.timeout(60_000);
    const { upToDate } = await isUpToDate();
    expect(upToDate, 'web/src/generated/api.ts is out of date: run `npm run web:types`').to.equal(true);
  });

  it('renders required, optional, nullable, enum, array, void and undeclared answers as TypeScript', async () => {
    const doc: OpenApiDocument = {
      components: { schemas: {} },
      paths: {
        '/things/{id}': {
          get: {
            summary: 'One thing',
            parameters: [
              { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
              { name: 'q', in: 'query', required: false, schema: { type: 'string' } },
            ],
            responses: {
              200: {
                description: 'The thing',
                content: {
                  'application/json': {
                    schema: {
                      type: 'object',
                      required: ['id', 'tags', 'status', 'note'],
                      properties: {
                        id: { type: 'string' },
                        tags: { type: 'array', items: { type: 'string' } },
                        status: { type: 'string', enum: ['open', 'closed'] },
                        note: { type: ['string', 'null'] },
                        count: { type: 'integer' },
                      },
                    },
                  },
                },
              },
            },
          },
          delete: { responses: { 204: { description: 'Gone' } } },
          post: { responses: { 201: { description: 'Made, schema not declared' } } },
        },
      },
    };
    const ts = await renderTypes(doc);
    expect(ts).to.include(`'GET /things/{id}': {
    params: {
      id: string;
    };
    query: {
      q?: string;
    };
    body: never;
    response: {
      id: string;
      tags: string[];
      status: 'open' | 'closed';
      note: string | null;
      count?: number;
    };
  };`);
    expect(ts).to.match(/'DELETE \/things\/\{id\}': \{[^}]*response: void;/);
    expect(ts).to.match(/'POST \/things\/\{id\}': \{[^}]*response: unknown;/);
  });
});
