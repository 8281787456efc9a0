import type { Transaction } from 'sequelize';
import { Op } from 'sequelize';
import { IANAZone } from 'luxon';
import type { StaffUser } from '../models/staffUser';

import { defaultBookingPreferences } from '../models/bookingPreferences';
import type { AvailabilityRule } from '../models/availabilityRule';
import type { TimeOff } from '../models/timeOff';
import { validateRule, summarizeRule } from '../scheduling';
import { badRequest, forbidden, notFound } from './errors';
import type { RouteDef } from './route';
import { managesPractice, type StaffPrincipal } from './auth/principal';
import { auditStaffChange, changedFields } from './audit';
import {
  uuid,
  idParams,
  isoInstant,
  timeZoneField,
  localDate,
  clockTime,
  multilineText,
  staffUserSchema,
  toStaffUser,
} from './schemas';
import type { Store } from '../models/store';

/** The clinician a staff user may manage: themselves, or any clinician of their practice for admins and managers. */
export async function clinicianFor(
  db: Store,
  staff: StaffPrincipal,
  clinicianId: string,
  transaction?: Transaction,
): Promise<StaffUser> {
  const clinician = await db.StaffUser.findOne({
    where: {
      id: clinicianId,
      practiceId: staff.practiceId,
      role: { [Op.in]: ['clinician', 'admin_clinician'] },
    },
    transaction,
  });
  if (!clinician) throw notFound('No such clinician.');
  if (clinician.id !== staff.id && !managesPractice(staff)) {
    throw forbidden('Clinicians manage their own availability and preferences only.');
  }
  return clinician;
}

const preferencesBody = {
  type: 'object',
  additionalProperties: false,
  required: [
    'initialConsultationServiceId',
    'startTimeIntervalMinutes',
    'minimumNoticeHours',
    'bufferBeforeMinutes',
    'bufferAfterMinutes',
  ],
  properties: {
    onlineBookingEnabled: { type: 'boolean' },
    initialConsultationServiceId: { anyOf: [uuid, { type: 'null' }] },
    startTimeIntervalMinutes: { type: 'integer', enum: [5, 10, 15, 20, 30, 45, 60] },
    minimumNoticeHours: { type: 'integer', minimum: 0, maximum: 720 },
    bufferBeforeMinutes: { type: 'integer', minimum: 0, maximum: 240 },
    bufferAfterMinutes: { type: 'integer', minimum: 0, maximum: 240 },
  },
};
type PreferencesView = {
  onlineBookingEnabled: boolean;
  initialConsultationServiceId: string | null;
  startTimeIntervalMinutes: number;
  minimumNoticeHours: number;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
};
const preferencesSchema = { type: 'object', properties: preferencesBody.properties };

/** A clinician's booking preferences, the README's defaults when none are saved. */
export async function preferencesOf(
  db: Store,
  clinicianId: string,
  transaction?: Transaction,
): Promise<PreferencesView> {
  const p = await db.BookingPreferences.findByPk(clinicianId, { transaction });
  if (!p) return { ...defaultBookingPreferences };
  return {
    onlineBookingEnabled: p.onlineBookingEnabled,
    initialConsultationServiceId: p.initialConsultationServiceId,
    startTimeIntervalMinutes: p.startTimeIntervalMinutes,
    minimumNoticeHours: p.minimumNoticeHours,
    bufferBeforeMinutes: p.bufferBeforeMinutes,
    bufferAfterMinutes: p.bufferAfterMinutes,
  };
}

const ruleFields = {
  rrule: { type: 'string', minLength: 1, maxLength: 500, example: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR' },
  startDate: localDate,
  until: { anyOf: [localDate, { type: 'null' }] },
  startTime: clockTime,
  endTime: clockTime,
  timeZone: timeZoneField,
};
const ruleBody = {
  type: 'object',
  additionalProperties: false,
  required: ['rrule', 'startDate', 'startTime', 'endTime'],
  properties: ruleFields,
};
const ruleSchema = { type: 'object', properties: { id: uuid, ...ruleFields, summary: { type: 'string' } } };
const ruleParams = { type: 'object', required: ['id', 'ruleId'], properties: { id: uuid, ruleId: uuid } };

type RuleInput = {
  rrule: string;
  startDate: string;
  until?: string | null;
  startTime: string;
  endTime: string;
  timeZone?: string;
};

const hhmm = (t: string) => t.slice(0, 5);

function toRule(r: AvailabilityRule) {
  const input = {
    rrule: r.rrule,
    startDate: r.startDate,
    until: r.until,
    startTime: hhmm(r.startTime),
    endTime: hhmm(r.endTime),
    timeZone: r.timeZone,
  };
  return { id: r.id, ...input, summary: summarizeRule(input) };
}

/** The rule with its zone defaulted (clinician's, then practice's) and checked; 400 naming the field otherwise. */
async function checkedRule(db: Store, body: RuleInput, clinician: StaffUser): Promise<Required<RuleInput>> {
  let timeZone = body.timeZone;
  if (!timeZone) {
    timeZone = clinician.timeZone ?? (await db.Practice.findByPk(clinician.practiceId))!.timeZone;
  }
  if (!IANAZone.isValidZone(timeZone))
    throw badRequest('/timeZone', `timeZone "${timeZone}" is not an IANA time zone.`);
  if (body.endTime <= body.startTime)
    throw badRequest('/endTime', 'endTime must be later than startTime on the same day.');
  if (body.until && body.until < body.startDate)
    throw badRequest('/until', 'until must not be before startDate.');
  const rule = {
    rrule: body.rrule.replace(/^RRULE:/i, '').trim(),
    startDate: body.startDate,
    until: body.until ?? null,
    startTime: body.startTime,
    endTime: body.endTime,
    timeZone,
  };
  const problem = validateRule(rule);
  if (problem) throw badRequest('/rrule', problem);
  return rule;
}

const timeOffBody = {
  type: 'object',
  additionalProperties: false,
  required: ['startsAt', 'endsAt'],
  properties: { startsAt: isoInstant, endsAt: isoInstant, reason: multilineText(500) },
};
const timeOffSchema = { type: 'object', properties: { id: uuid, ...timeOffBody.properties } };
const timeOffParams = {
  type: 'object',
  required: ['id', 'timeOffId'],
  properties: { id: uuid, timeOffId: uuid },
};
const timeOffQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { from: isoInstant, to: isoInstant },
};
const MAX_TIME_OFF_MS = 366 * 86_400_000;

function toTimeOff(t: TimeOff) {
  return { id: t.id, startsAt: t.startsAt.toISOString(), endsAt: t.endsAt.toISOString(), reason: t.reason };
}

/** Clinicians, their booking preferences, recurring availability and time off. */
export function clinicianRoutes(deps: { db: Store }): RouteDef[] {
  const db = deps.db;
  return [
    {
      method: 'get',
      path: '/api/clinicians',
      summary: "The practice's clinicians",
      tag: 'Clinicians',
      auth: 'staff',
      responses: { 200: { description: 'Clinicians', schema: { type: 'array', items: staffUserSchema } } },
      handler: async (_req, res) => {
        const users = await db.StaffUser.findAll({
          where: {
            practiceId: res.locals.staff!.practiceId,
            role: { [Op.in]: ['clinician', 'admin_clinician'] },
          },
          order: [
            ['lastName', 'ASC'],
            ['firstName', 'ASC'],
          ],
        });
        res.json(users.map(toStaffUser));
      },
    },
    {
      method: 'get',
      path: '/api/clinicians/:id/booking-preferences',
      summary: 'Online booking preferences',
      tag: 'Clinicians',
      auth: 'staff',
      params: idParams,
      responses: {
        200: { description: 'Preferences', schema: preferencesSchema },
        403: 'Another clinician',
        404: 'No such clinician',
      },
      handler: async (req, res) => {
        const clinician = await clinicianFor(db, res.locals.staff!, req.params.id as string);
        res.json(await preferencesOf(db, clinician.id));
      },
    },
    {
      method: 'put',
      path: '/api/clinicians/:id/booking-preferences',
      summary: 'Set online booking preferences (Settings > Availabilities > Preferences)',
      tag: 'Clinicians',
      auth: 'staff',
      params: idParams,
      body: preferencesBody,
      responses: {
        200: { description: 'Preferences', schema: preferencesSchema },
        400: 'Invalid',
        403: 'Another clinician',
        404: 'No such clinician',
      },
      handler: async (req, res) => {
        const staff = res.locals.staff!;
        const body = req.body as PreferencesView;
        const saved = await db.sequelize.transaction(async (transaction) => {
          const clinician = await clinicianFor(db, staff, req.params.id as string, transaction);
          if (body.initialConsultationServiceId) {
            const service = await db.Service.findOne({
              where: { id: body.initialConsultationServiceId, practiceId: staff.practiceId },
              transaction,
            });
            if (!service)
              throw badRequest(
                '/initialConsultationServiceId',
                'initialConsultationServiceId is not a service of this practice.',
              );
            if (!service.bookableOnline) {
              throw badRequest(
                '/initialConsultationServiceId',
                'initialConsultationServiceId must be a service that is bookable online.',
              );
            }
          }
          const before = await preferencesOf(db, clinician.id, transaction);
          const next = { ...before, ...body };
          const diff = changedFields(before, next);
          if (!diff) return before;
          await db.BookingPreferences.upsert({ clinicianId: clinician.id, ...next }, { transaction });
          await auditStaffChange(db, transaction, staff, {
            action: 'booking_preferences.update',
            entity: 'clinician',
            entityId: clinician.id,
            ...diff,
          });
          return next;
        });
        res.json(saved);
      },
    },
    {
      method: 'get',
      path: '/api/clinicians/:id/availability-rules',
      summary: 'Recurring availability, each rule with a human summary',
      tag: 'Availability',
      auth: 'staff',
      params: idParams,
      responses: { 200: { description: 'Rules', schema: { type: 'array', items: ruleSchema } } },
      handler: async (req, res) => {
        const clinician = await clinicianFor(db, res.locals.staff!, req.params.id as string);
        const rules = await db.AvailabilityRule.findAll({
          where: { clinicianId: clinician.id },
          order: [['createdAt', 'ASC']],
        });
        res.json(rules.map(toRule));
      },
    },
    {
      method: 'post',
      path: '/api/clinicians/:id/availability-rules',
      summary: 'Add a recurring availability rule (RFC 5545 RRULE: DAILY, WEEKLY or MONTHLY)',
      tag: 'Availability',
      auth: 'staff',
      params: idParams,
      body: ruleBody,
      responses: { 201: { description: 'Created', schema: ruleSchema }, 400: 'Invalid rule' },
      handler: async (req, res) => {
        const staff = res.locals.staff!;
        const clinician = await clinicianFor(db, staff, req.params.id as string);
        const rule = await checkedRule(db, req.body as RuleInput, clinician);
        const created = await db.sequelize.transaction(async (transaction) => {
          const row = await db.AvailabilityRule.create(
            { clinicianId: clinician.id, ...rule },
            { transaction },
          );
          await auditStaffChange(db, transaction, staff, {
            action: 'availability_rule.create',
            entity: 'availability_rule',
            entityId: row.id,
            oldValue: null,
            newValue: rule,
          });
          return row;
        });
        res.status(201).json(toRule(created));
      },
    },
    {
      method: 'put',
      path: '/api/clinicians/:id/availability-rules/:ruleId',
      summary: 'Replace a recurring availability rule',
      tag: 'Availability',
      auth: 'staff',
      params: ruleParams,
      body: ruleBody,
      responses: {
        200: { description: 'Updated', schema: ruleSchema },
        400: 'Invalid rule',
        404: 'No such rule',
      },
      handler: async (req, res) => {
        const staff = res.locals.staff!;
        const clinician = await clinicianFor(db, staff, req.params.id as string);
        const rule = await checkedRule(db, req.body as RuleInput, clinician);
        const updated = await db.sequelize.transaction(async (transaction) => {
          const row = await db.AvailabilityRule.findOne({
            where: { id: req.params.ruleId as string, clinicianId: clinician.id },
            transaction,
            lock: transaction.LOCK.UPDATE,
          });
          if (!row) throw notFound('No such availability rule.');
          const { id: _id, summary: _s, ...before } = toRule(row);
          await row.update(rule, { transaction });
          await auditStaffChange(db, transaction, staff, {
            action: 'availability_rule.update',
            entity: 'availability_rule',
            entityId: row.id,
            oldValue: before,
            newValue: rule,
          });
          return row;
        });
        res.json(toRule(updated));
      },
    },
    {
      method: 'delete',
      path: '/api/clinicians/:id/availability-rules/:ruleId',
      summary: 'Delete a recurring availability rule',
      tag: 'Availability',
      auth: 'staff',
      params: ruleParams,
      responses: { 204: 'Deleted', 404: 'No such rule' },
      handler: async (req, res) => {
        const staff = res.locals.staff!;
        const clinician = await clinicianFor(db, staff, req.params.id as string);
        await db.sequelize.transaction(async (transaction) => {
          const row = await db.AvailabilityRule.findOne({
            where: { id: req.params.ruleId as string, clinicianId: clinician.id },
            transaction,
          });
          if (!row) throw notFound('No such availability rule.');
          await row.destroy({ transaction });
          await auditStaffChange(db, transaction, staff, {
            action: 'availability_rule.delete',
            entity: 'availability_rule',
            entityId: row.id,
            oldValue: toRule(row),
            newValue: null,
          });
        });
        res.status(204).end();
      },
    },
    {
      method: 'get',
      path: '/api/clinicians/:id/time-off',
      summary: 'Time off (blocked intervals), optionally within [from, to)',
      tag: 'Availability',
      auth: 'staff',
      params: idParams,
      query: timeOffQuery,
      responses: { 200: { description: 'Time off', schema: { type: 'array', items: timeOffSchema } } },
      handler: async (req, res) => {
        const clinician = await clinicianFor(db, res.locals.staff!, req.params.id as string);
        const { from, to } = res.locals.query as { from?: string; to?: string };
        const where: Record<string | symbol, unknown> = { clinicianId: clinician.id };
        if (to) where.startsAt = { [Op.lt]: new Date(to) };
        if (from) where.endsAt = { [Op.gt]: new Date(from) };
        const rows = await db.TimeOff.findAll({ where, order: [['startsAt', 'ASC']] });
        res.json(rows.map(toTimeOff));
      },
    },
    {
      method: 'post',
      path: '/api/clinicians/:id/time-off',
      summary: 'Block an interval (vacation, a half day)',
      tag: 'Availability',
      auth: 'staff',
      params: idParams,
      body: timeOffBody,
      responses: { 201: { description: 'Created', schema: timeOffSchema }, 400: 'Invalid interval' },
      handler: async (req, res) => {
        const staff = res.locals.staff!;
        const clinician = await clinicianFor(db, staff, req.params.id as string);
        const body = req.body as { startsAt: string; endsAt: string; reason?: string };
        const startsAt = new Date(body.startsAt);
        const endsAt = new Date(body.endsAt);
        if (endsAt <= startsAt) throw badRequest('/endsAt', 'endsAt must be later than startsAt.');
        if (endsAt.getTime() - startsAt.getTime() > MAX_TIME_OFF_MS)
          throw badRequest('/endsAt', 'Time off may span at most 366 days; add several.');
        const created = await db.sequelize.transaction(async (transaction) => {
          const row = await db.TimeOff.create(
            { clinicianId: clinician.id, startsAt, endsAt, reason: body.reason ?? null },
            { transaction },
          );
          await auditStaffChange(db, transaction, staff, {
            action: 'time_off.create',
            entity: 'time_off',
            entityId: row.id,
            oldValue: null,
            newValue: toTimeOff(row),
          });
          return row;
        });
        res.status(201).json(toTimeOff(created));
      },
    },
    {
      method: 'delete',
      path: '/api/clinicians/:id/time-off/:timeOffId',
      summary: 'Remove time off',
      tag: 'Availability',
      auth: 'staff',
      params: timeOffParams,
      responses: { 204: 'Removed', 404: 'No such time off' },
      handler: async (req, res) => {
        const staff = res.locals.staff!;
        const clinician = await clinicianFor(db, staff, req.params.id as string);
        await db.sequelize.transaction(async (transaction) => {
          const row = await db.TimeOff.findOne({
            where: { id: req.params.timeOffId as string, clinicianId: clinician.id },
            transaction,
          });
          if (!row) throw notFound('No such time off.');
          await row.destroy({ transaction });
          await auditStaffChange(db, transaction, staff, {
            action: 'time_off.delete',
            entity: 'time_off',
            entityId: row.id,
            oldValue: toTimeOff(row),
            newValue: null,
          });
        });
        res.status(204).end();
      },
    },
  ];
}
