import type { Transaction } from 'sequelize';
import type { Practice } from '../models/practice';
import { notFound } from './errors';
import type { RouteDef } from './route';
import type { Store } from '../models/store';
import { portalInfoSchema } from './responseSchemas';

/** Path parameter schema of every /portal/:slug route. */
export const slugParams = {
  type: 'object',
  required: ['slug'],
  properties: { slug: { type: 'string', minLength: 1, maxLength: 100 } },
};

/**
 * The practice behind a portal address. A portal that is off answers exactly like one that does not exist,
 * and an old slug stops working the moment it is changed.
 */
export async function portalPractice(db: Store, slug: string, transaction?: Transaction): Promise<Practice> {
  const practice = await db.Practice.findOne({
    where: { slug: slug.toLowerCase(), portalEnabled: true },
    transaction,
  });
  if (!practice) throw notFound('No such client portal.');
  return practice;
}

/** The practice's public portal page data. */
export function portalInfoRoutes({ db }: { db: Store }): RouteDef[] {
  return [
    {
      method: 'get',
      path: '/portal/:slug',
      summary: "The practice's client portal: name, whether new clients may request, cancelation policy",
      tag: 'Client portal',
      auth: 'public',
      params: slugParams,
      responses: {
        200: { description: 'The portal', schema: portalInfoSchema },
        404: 'No such portal, or the portal is off',
      },
      handler: async (req, res) => {
        const practice = await portalPractice(db, req.params.slug as string);
        res.json({
          name: practice.name,
          slug: practice.slug,
          timeZone: practice.timeZone,
          phone: practice.phone,
          allowNewClients: practice.allowNewClients,
          cancellationPolicy: practice.cancellationPolicy,
        });
      },
    },
  ];
}
