import { ForeignKeyConstraintError } from 'sequelize';

import { conflict, forbidden, notFound } from './errors';
import type { RouteDef } from './route';
import { managesPractice, type StaffPrincipal } from './auth/principal';
import { recordStaffChange, changedFields, definedOnly } from '../booking/audit';
import { idParams, serviceSchema } from './schemas';
import { toService } from '../booking/views';
import type { Store } from '../models/store';

const name = { type: 'string', minLength: 1, maxLength: 200, pattern: '\\S' };
const durationMinutes = { type: 'integer', minimum: 5, maximum: 480 };
const createBody = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'durationMinutes'],
  properties: { name, durationMinutes, bookableOnline: { type: 'boolean' } },
};
const patchBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: { name, durationMinutes, bookableOnline: { type: 'boolean' } },
};

function requireManager(staff: StaffPrincipal): void {
  if (!managesPractice(staff))
    throw forbidden('Only admin clinicians and practice managers change services.');
}

async function findOwn(
  db: Store,
  id: string,
  staff: StaffPrincipal,
  transaction?: import('sequelize').Transaction,
) {
  const service = await db.Service.findOne({ where: { id, practiceId: staff.practiceId }, transaction });
  if (!service) throw notFound('No such service.');
  return service;
}

/** The practice's services: name, duration, bookable online. */
export function serviceRoutes(deps: { db: Store }): RouteDef[] {
  const { db } = deps;
  return [
    {
      method: 'get',
      path: '/api/services',
      summary: "The practice's services",
      tag: 'Services',
      auth: 'staff',
      responses: { 200: { description: 'Services', schema: { type: 'array', items: serviceSchema } } },
      handler: async (_req, res) => {
        const services = await db.Service.findAll({
          where: { practiceId: res.locals.staff!.practiceId },
          order: [['name', 'ASC']],
        });
        res.json(services.map(toService));
      },
    },
    {
      method: 'post',
      path: '/api/services',
      summary: 'Add a service',
      tag: 'Services',
      auth: 'staff',
      body: createBody,
      responses: { 201: { description: 'Created', schema: serviceSchema }, 403: 'Not an admin or manager' },
      handler: async (req, res) => {
        const staff = res.locals.staff!;
        requireManager(staff);
        const body = req.body as { name: string; durationMinutes: number; bookableOnline?: boolean };
        const service = await deps.db.sequelize.transaction(async (transaction) => {
          const created = await db.Service.create(
            { ...body, name: body.name.trim(), practiceId: staff.practiceId },
            { transaction },
          );
          await recordStaffChange(db, transaction, staff, {
            action: 'service.create',
            entity: 'service',
            entityId: created.id,
            oldValue: null,
            newValue: toService(created),
          });
          return created;
        });
        res.status(201).json(toService(service));
      },
    },
    {
      method: 'patch',
      path: '/api/services/:id',
      summary: 'Change a service',
      tag: 'Services',
      auth: 'staff',
      params: idParams,
      body: patchBody,
      responses: { 200: { description: 'Updated', schema: serviceSchema }, 404: 'No such service' },
      handler: async (req, res) => {
        const staff = res.locals.staff!;
        requireManager(staff);
        const body = req.body as Partial<ReturnType<typeof toService>>;
        const service = await deps.db.sequelize.transaction(async (transaction) => {
          const found = await findOwn(db, req.params.id as string, staff, transaction);
          const diff = changedFields(toService(found), { ...body, name: body.name?.trim() });
          if (!diff) return found;
          await found.update(definedOnly(diff.newValue), { transaction });
          await recordStaffChange(db, transaction, staff, {
            action: 'service.update',
            entity: 'service',
            entityId: found.id,
            ...diff,
          });
          return found;
        });
        res.json(toService(service));
      },
    },
    {
      method: 'delete',
      path: '/api/services/:id',
      summary: 'Remove a service that no request or appointment uses',
      tag: 'Services',
      auth: 'staff',
      params: idParams,
      responses: {
        204: 'Removed',
        404: 'No such service',
        409: 'In use (mark it not bookable online instead)',
      },
      handler: async (req, res) => {
        const staff = res.locals.staff!;
        requireManager(staff);
        await deps.db.sequelize
          .transaction(async (transaction) => {
            const found = await findOwn(db, req.params.id as string, staff, transaction);
            await found.destroy({ transaction });
            await recordStaffChange(db, transaction, staff, {
              action: 'service.delete',
              entity: 'service',
              entityId: found.id,
              oldValue: toService(found),
              newValue: null,
            });
          })
          .catch((err: unknown) => {
            if (err instanceof ForeignKeyConstraintError) {
              throw conflict(
                'SERVICE_IN_USE',
                'Requests or appointments use this service; mark it not bookable online instead.',
              );
            }
            throw err;
          });
        res.status(204).end();
      },
    },
  ];
}
