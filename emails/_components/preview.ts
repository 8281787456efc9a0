/**
 * The example appointment that `npm run email:dev` previews every template with (each template's PreviewProps), so
 * the previews tell one story: Jordan's appointment with Dr. Maya Chen at Riverside Counseling.
 */
const previewAppointment = {
  practiceName: 'Riverside Counseling',
  clinicianName: 'Dr. Maya Chen',
  serviceName: 'Initial consultation',
  startsAt: '2026-11-03T15:00:00Z',
  endsAt: '2026-11-03T15:50:00Z',
};

/** The client's side of the preview: their first name, their zone, their portal. */
export const previewForClient = {
  ...previewAppointment,
  clientFirstName: 'Jordan',
  timeZone: 'America/Chicago',
  portalUrl: 'http://localhost:3000/portal/demo',
};

/** The clinician's side of the preview: the client's full name, the clinician's zone. */
export const previewForClinician = {
  ...previewAppointment,
  clientName: 'Jordan Lee',
  timeZone: 'America/New_York',
};
