import { UniqueConstraintError } from 'sequelize';
import { type Practice, cancellationPolicies, type CancellationPolicy } from '../models/practice';
import { badRequest, forbidden, notFound } from './errors';
import type { RouteDef } from './route';
import { managesPractice, type StaffPrincipal } from './auth/principal';
import { recordStaffChange, changedFields, definedOnly } from '../booking/audit';
import type { Store } from '../models/store';

/** Addresses that would collide with the product's own paths or mislead clients. */
export const reservedSlugs = new Set([
  'admin',
  'api',
  'app',
  'assets',
  'auth',
  'dashboard',
  'docs',
  'healthz',
  'help',
  'login',
  'logout',
  'me',
  'openapi',
  'portal',
  'practicepicnic',
  'readyz',
  'settings',
  'signup',
  'static',
  'status',
  'support',
  'www',
]);
const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{1,61})[a-z0-9]$/;

/** The folded slug, or a message saying why it cannot be a web address. */
export function checkSlug(raw: string): { slug: string } | { error: string } {
  const slug = raw.trim().toLowerCase();
  if (slug.length < 3 || slug.length > 63) return { error: 'slug must be 3 to 63 characters long.' };
  if (!SLUG_PATTERN.test(slug) || slug.includes('--')) {
    return { error: 'slug may contain only a-z, 0-9 and single hyphens between them.' };
  }
  if (reservedSlugs.has(slug)) return { error: `slug "${slug}" is reserved.` };
  return { slug };
}

const settingsSchema = {
  type: 'object',
  required: ['enabled', 'slug', 'portalUrl', 'allowNewClients', 'cancellationPolicy'],
  properties: {
    enabled: { type: 'boolean' },
    slug: { type: 'string' },
    portalUrl: { type: 'string', format: 'uri' },
    allowNewClients: { type: 'boolean' },
    cancellationPolicy: { type: 'string', enum: [...cancellationPolicies] },
  },
};

const patchBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    enabled: { type: 'boolean' },
    slug: { type: 'string', minLength: 1, maxLength: 100 },
    allowNewClients: { type: 'boolean' },
    cancellationPolicy: { type: 'string', enum: [...cancellationPolicies] },
  },
};

type PortalSettings = {
  enabled: boolean;
  slug: string;
  allowNewClients: boolean;
  cancellationPolicy: CancellationPolicy;
};

function settingsOf(p: Practice): PortalSettings {
  return {
    enabled: p.portalEnabled,
    slug: p.slug,
    allowNewClients: p.allowNewClients,
    cancellationPolicy: p.cancellationPolicy,
  };
}

function requireManager(staff: StaffPrincipal): void {
  if (!managesPractice(staff)) {
    throw forbidden('Only admin clinicians and practice managers change the client portal settings.');
  }
}

/** Settings > Client Portal: enable, web address, new clients, cancelation policy. */
export function practiceSettingsRoutes(deps: { db: Store; publicUrl: string }): RouteDef[] {
  const { db } = deps;
  const view = (p: Practice) => ({ ...settingsOf(p), portalUrl: `${deps.publicUrl}/portal/${p.slug}` });
  return [
    {
      method: 'get',
      path: '/api/practice/client-portal',
      summary: 'The client portal settings and link (what Copy Link copies)',
      tag: 'Practice settings',
      auth: 'staff',
      responses: { 200: { description: 'Settings', schema: settingsSchema }, 403: 'Not an admin or manager' },
      handler: async (_req, res) => {
        const staff = res.locals.staff!;
        requireManager(staff);
        const practice = await db.Practice.findByPk(staff.practiceId);
        if (!practice) throw notFound();
        res.json(view(practice));
      },
    },
    {
      method: 'patch',
      path: '/api/practice/client-portal',
      summary: 'Change client portal settings (audited)',
      tag: 'Practice settings',
      auth: 'staff',
      body: patchBody,
      responses: {
        200: { description: 'Settings', schema: settingsSchema },
        400: 'Invalid or taken slug',
        403: 'Not an admin or manager',
      },
      handler: async (req, res) => {
        const staff = res.locals.staff!;
        requireManager(staff);
        const body = req.body as Partial<PortalSettings>;
        const next: Partial<PortalSettings> = { ...body };
        if (body.slug !== undefined) {
          const checked = checkSlug(body.slug);
          if ('error' in checked) throw badRequest('/slug', checked.error);
          next.slug = checked.slug;
        }
        const updated = await deps.db.sequelize
          .transaction(async (transaction) => {
            const practice = await db.Practice.findByPk(staff.practiceId, {
              transaction,
              lock: transaction.LOCK.UPDATE,
            });
            if (!practice) throw notFound();
            const diff = changedFields(settingsOf(practice), next);
            if (!diff) return practice;
            if (
              diff.newValue.slug &&
              (await db.Practice.count({ where: { slug: diff.newValue.slug }, transaction }))
            ) {
              throw badRequest('/slug', 'That web address is already taken.', 'SLUG_TAKEN');
            }
            const { enabled, slug, allowNewClients, cancellationPolicy } = diff.newValue;
            await practice.update(
              definedOnly({ portalEnabled: enabled, slug, allowNewClients, cancellationPolicy }),
              { transaction },
            );
            await recordStaffChange(db, transaction, staff, {
              action: 'practice.client_portal.update',
              entity: 'practice',
              entityId: practice.id,
              ...diff,
            });
            return practice;
          })
          .catch((err: unknown) => {
            // Two admins taking the same address at once: the unique index decides.
            if (err instanceof UniqueConstraintError)
              throw badRequest('/slug', 'That web address is already taken.', 'SLUG_TAKEN');
            throw err;
          });
        res.json(view(updated));
      },
    },
  ];
}
