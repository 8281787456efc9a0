import type { StaffUser } from '../models/staffUser';
import type { Store } from '../models/store';
import { ruleProblem } from '../scheduling';
import { addRule, deleteRule, replaceRule, rulesOf, type RuleValues } from '../booking/availabilityRules';
import { toRule } from '../booking/views';
import { badRequest, notFound } from './errors';
import type { RouteDef } from './route';
import { clinicianFor } from './clinicians';
import { idParams, uuid, timeZoneField, localDate, clockTime } from './schemas';

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
const ruleSchema = {
  type: 'object',
  required: ['id', ...Object.keys(ruleFields), 'summary'],
  properties: { id: uuid, ...ruleFields, summary: { type: 'string' } },
};
const ruleParams = { type: 'object', required: ['id', 'ruleId'], properties: { id: uuid, ruleId: uuid } };

type RuleInput = {
  rrule: string;
  startDate: string;
  until?: string | null;
  startTime: string;
  endTime: string;
  timeZone?: string;
};

/** The rule with its zone defaulted (clinician's, then practice's) and checked; 400 naming the field otherwise. */
async function checkedRule(db: Store, body: RuleInput, clinician: StaffUser): Promise<RuleValues> {
  let timeZone = body.timeZone;
  if (!timeZone) {
    timeZone = clinician.timeZone ?? (await db.Practice.findByPk(clinician.practiceId))!.timeZone;
  }
  const rule = {
    rrule: body.rrule.replace(/^RRULE:/i, '').trim(),
    startDate: body.startDate,
    until: body.until ?? null,
    startTime: body.startTime,
    endTime: body.endTime,
    timeZone,
  };
  const problem = ruleProblem(rule);
  if (problem) throw badRequest(`/${problem.field}`, problem.message);
  return rule;
}

/** A clinician's recurring availability (RRULE rules). */
export function availabilityRuleRoutes({ db }: { db: Store }): RouteDef[] {
  return [
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
        res.json((await rulesOf(db, clinician.id)).map(toRule));
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
        res.status(201).json(toRule(await addRule(db, staff, clinician.id, rule)));
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
        const updated = await replaceRule(
          db,
          staff,
          { id: req.params.ruleId as string, clinicianId: clinician.id },
          rule,
        );
        if (!updated) throw notFound('No such availability rule.');
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
        const deleted = await deleteRule(db, staff, {
          id: req.params.ruleId as string,
          clinicianId: clinician.id,
        });
        if (!deleted) throw notFound('No such availability rule.');
        res.status(204).end();
      },
    },
  ];
}
