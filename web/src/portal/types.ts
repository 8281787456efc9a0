import type { ResponseOf } from '../generated/api';

// The API's answers, generated from its OpenAPI document (npm run web:types): a renamed field fails the build.

/** GET /portal/:slug */
export type PortalInfo = ResponseOf<'GET /portal/{slug}'>;

/** GET /portal/:slug/clinicians */
export type PortalClinician = ResponseOf<'GET /portal/{slug}/clinicians'>[number];

export type PortalService = PortalClinician['services'][number];

/** GET /portal/:slug/availability */
export type Availability = ResponseOf<'GET /portal/{slug}/availability'>;

/** One offered slot. */
export type Slot = Availability['slots'][number];

/** A signed-in portal client, as kept for this tab. */
export type ClientSession = ResponseOf<'POST /portal/{slug}/auth/verify'>;

/** GET /portal/:slug/me/appointments */
export type PortalAppointments = ResponseOf<'GET /portal/{slug}/me/appointments'>;

/** One appointment in GET /portal/:slug/me/appointments. */
export type PortalAppointment = PortalAppointments['upcoming'][number];

/** A request as GET /portal/:slug/me/requests lists it. */
export type PortalRequest = ResponseOf<'GET /portal/{slug}/me/requests'>[number];
