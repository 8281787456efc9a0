import { appointmentStatuses } from '../models/appointment';
import { isoInstant, uuid } from './schemas';
import type { Schema } from './validation';

/** An appointment's status, as every appointment route shows it. */
export const appointmentStatusField = { type: 'string', enum: [...appointmentStatuses] } as const;
export const nullableInstant = { type: ['string', 'null'], format: 'date-time' } as const;

/** What a cancel answers with, from the portal or the dashboard. */
export const cancelResultSchema: Schema = {
  type: 'object',
  required: ['appointmentId', 'status'],
  properties: {
    appointmentId: uuid,
    status: appointmentStatusField,
    cancelRequestedAt: isoInstant,
    canceledAt: isoInstant,
  },
};
