import type { Client } from '@temporalio/client';
import type { Clock } from '../lib/clock';
import type { Logger } from '../lib/logger';
import type { Store } from '../models/store';
import { staffRoles } from '../models/staffUser';
import type { OneTimeCodes } from '../booking/oneTimeCodes';
import {
  acceptStaffInvitation,
  createStaffInvitation,
  openInvitationsOf,
  revokeStaffInvitation,
} from '../booking/staffInvitations';
import { MAX_STAFF_PASSWORD_LENGTH } from '../booking/staffPassword';
import { toStaffInvitation } from '../booking/views';
import { signalStaffInvitationClosed, startStaffInvitation } from '../temporal/staffInvitations';
import { withTemporal } from '../temporal/errors';
import { forbidden } from './errors';
import type { RouteDef } from './route';
import { managesPractice, type StaffPrincipal } from './auth/principal';
import type { TokenService } from './auth/tokens';
import type { SessionPolicy } from './auth/sessions';
import { answerSignedIn } from './auth/signedIn';
import { idParams, isoInstant, uuid } from './schemas';
import { acceptedSessionSchema } from './responseSchemas';

const personName = { type: 'string', minLength: 1, maxLength: 100, pattern: '\\S' } as const;

const inviteBody = {
  type: 'object',
  additionalProperties: false,
  required: ['email', 'firstName', 'lastName', 'role'],
  properties: {
    email: { type: 'string', format: 'email', maxLength: 254 },
    firstName: personName,
    lastName: personName,
    role: { type: 'string', enum: [...staffRoles] },
  },
};

const acceptBody = {
  type: 'object',
  additionalProperties: false,
  required: ['token', 'password'],
  properties: {
    token: { type: 'string', minLength: 1, maxLength: 200 },
    password: { type: 'string', maxLength: MAX_STAFF_PASSWORD_LENGTH },
  },
};

/** An open invitation as the staff page lists it. */
export const staffInvitationSchema = {
  type: 'object',
  required: [
    'id',
    'email',
    'firstName',
    'lastName',
    'role',
    'invitedBy',
    'createdAt',
    'expiresAt',
    'remindedAt',
  ],
  properties: {
    id: uuid,
    email: { type: 'string' },
    firstName: { type: 'string' },
    lastName: { type: 'string' },
    role: { type: 'string', enum: [...staffRoles] },
    invitedBy: { type: ['string', 'null'], format: 'uuid' },
    createdAt: isoInstant,
    expiresAt: isoInstant,
    remindedAt: { type: ['string', 'null'], format: 'date-time' },
  },
} as const;

function assertManages(staff: StaffPrincipal): void {
  if (!managesPractice(staff))
    throw forbidden('Only admin clinicians and practice managers invite and manage staff.');
}

/** Staff invitations: invite by email with a role, list and revoke the open ones, accept a link. */
export function staffInvitationRoutes(deps: {
  db: Store;
  clock: Clock;
  log: Logger;
  temporal: Client;
  taskQueue: string;
  codes: OneTimeCodes;
  tokens: TokenService;
  sessions: SessionPolicy;
  publicUrl: string;
  production: boolean;
}): RouteDef[] {
  const { db, clock } = deps;
  return [
    {
      method: 'get',
      path: '/api/staff/invitations',
      summary: "The practice's open invitations (admin clinicians and practice managers)",
      tag: 'Staff',
      auth: 'staff',
      responses: {
        200: {
          description: 'Open invitations, newest first',
          schema: { type: 'array', items: staffInvitationSchema },
        },
        403: 'Not an admin clinician or practice manager',
      },
      handler: async (_req, res) => {
        const staff = res.locals.staff!;
        assertManages(staff);
        res.json((await openInvitationsOf(db, staff.practiceId, clock.now())).map(toStaffInvitation));
      },
    },
    {
      method: 'post',
      path: '/api/staff/invitations',
      summary:
        'Invite someone to the staff with a role; the invitation is emailed, reminded once, and expires after 7 days',
      tag: 'Staff',
      auth: 'staff',
      body: inviteBody,
      responses: {
        201: { description: 'Invited', schema: staffInvitationSchema },
        403: 'Not an admin clinician or practice manager',
        409: 'A staff user or an open invitation has this email (STAFF_EMAIL_TAKEN, field /email)',
      },
      handler: async (req, res) => {
        const staff = res.locals.staff!;
        assertManages(staff);
        const body = req.body as {
          email: string;
          firstName: string;
          lastName: string;
          role: (typeof staffRoles)[number];
        };
        const invitation = await createStaffInvitation(
          db,
          { ...body, practiceId: staff.practiceId, invitedBy: staff, now: clock.now(), codes: deps.codes },
          (id) => withTemporal(() => startStaffInvitation(deps.temporal, deps.taskQueue, id)),
        );
        res.status(201).json(toStaffInvitation(invitation));
      },
    },
    {
      method: 'delete',
      path: '/api/staff/invitations/:id',
      summary: 'Revoke an open invitation: its link stops working and no further email is sent',
      tag: 'Staff',
      auth: 'staff',
      params: idParams,
      responses: {
        204: 'Revoked',
        403: 'Not an admin clinician or practice manager',
        404: 'No such invitation',
        410: 'Already accepted or expired (INVITATION_GONE)',
      },
      handler: async (req, res) => {
        const staff = res.locals.staff!;
        assertManages(staff);
        const invitation = await revokeStaffInvitation(db, {
          actor: staff,
          invitationId: (req.params as { id: string }).id,
          now: clock.now(),
        });
        await signalStaffInvitationClosed(deps.temporal, invitation.id, 'revoked');
        res.status(204).end();
      },
    },
    {
      method: 'post',
      path: '/api/staff/invitations/accept',
      summary:
        "Accept an invitation with the link's token and a new password; answers as /api/auth/login does",
      tag: 'Staff',
      auth: 'public',
      body: acceptBody,
      responses: {
        200: {
          description:
            'Signed in as the new staff member: a bearer token for API clients; the dashboard gets its session cookie instead',
          schema: acceptedSessionSchema,
        },
        400: 'The password is too weak (WEAK_PASSWORD, field /password)',
        404: 'No invitation has this token (INVITATION_NOT_FOUND, field /token)',
        409: 'Someone already has a staff account with this email (STAFF_EMAIL_TAKEN)',
        410: 'The invitation was already accepted, was revoked or has expired (INVITATION_GONE)',
      },
      handler: async (req, res) => {
        const { token, password } = req.body as { token: string; password: string };
        const { user, invitation } = await acceptStaffInvitation(db, { token, password, now: clock.now() });
        await signalStaffInvitationClosed(deps.temporal, invitation.id, 'accepted');
        deps.log.info(
          { event: 'staff_invitation_accepted', userId: user.id, invitationId: invitation.id },
          'invitation accepted',
        );
        await answerSignedIn(deps, req, res, user);
      },
    },
  ];
}
