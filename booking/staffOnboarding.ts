import { QueryTypes } from 'sequelize';
import type { Store } from '../models/store';
import type { Practice } from '../models/practice';
import type { StaffInvitation } from '../models/staffInvitation';
import type { OneTimeCodes } from './oneTimeCodes';
import { createStaffInvitation, type StartInvitationWorkflow } from './staffInvitations';

/** A new practice and the person who will be its first admin clinician. */
export interface NewPractice {
  name: string;
  timeZone: string;
  admin: { email: string; firstName: string; lastName: string };
  now: Date;
  codes: OneTimeCodes;
  /** The web-address rules of api/practiceSettings.ts (length, characters, reserved words): null when allowed. */
  slugProblem: (slug: string) => string | null;
}

/** A practice's web address from its name: "Café Sørensen & Co." → "cafe-sorensen-co". Pure. */
export function slugFromName(name: string): string {
  const base = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ø/gi, 'o')
    .replace(/æ/gi, 'ae')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 56)
    .replace(/-+$/, '');
  if (!base) return 'practice';
  return base.length >= 3 ? base : `${base}-practice`;
}

/** The staff user who has this address (staff sign in by email alone, so one account per address), or null. */
export async function staffIdByEmail(db: Store, email: string): Promise<string | null> {
  const [row] = await db.sequelize.query<{ id: string }>(
    'SELECT id FROM staff_users WHERE lower(email) = lower(:email)',
    {
      replacements: { email },
      type: QueryTypes.SELECT,
    },
  );
  return row?.id ?? null;
}

/**
 * Creates a practice (portal off, no staff: nothing usable yet) with a unique slug derived from its name, and the
 * invitation of its first admin clinician, whose workflow emails the link; all in one transaction. The practice
 * becomes usable when the link is followed (POST /api/staff/invitations/accept).
 */
export async function createPractice(
  db: Store,
  input: NewPractice,
  startWorkflow: StartInvitationWorkflow,
): Promise<{ practice: Practice; invitation: StaffInvitation }> {
  return db.sequelize.transaction(async (transaction) => {
    // One slug chooser at a time, so two practices named alike get -2 and -3, never a unique-key error.
    await db.sequelize.query("SELECT pg_advisory_xact_lock(hashtext('practice-slug'))", { transaction });
    const base = slugFromName(input.name);
    const taken = new Set(
      (
        await db.sequelize.query<{ slug: string }>(
          'SELECT slug FROM practices WHERE slug = :base OR slug LIKE :prefix',
          { replacements: { base, prefix: `${base}-%` }, type: QueryTypes.SELECT, transaction },
        )
      ).map((r) => r.slug),
    );
    let slug = base;
    for (let n = 2; taken.has(slug) || input.slugProblem(slug) !== null; n++) slug = `${base}-${n}`;
    const practice = await db.Practice.create(
      { name: input.name.trim(), slug, timeZone: input.timeZone, phone: null, portalEnabled: false },
      { transaction },
    );
    await db.AuditEntry.record(
      {
        practiceId: practice.id,
        actorType: 'system',
        actorId: null,
        action: 'practice.create',
        entity: 'practice',
        entityId: practice.id,
        oldValue: null,
        newValue: { name: practice.name, slug, timeZone: practice.timeZone },
      },
      transaction,
    );
    const invitation = await createStaffInvitation(
      db,
      {
        practiceId: practice.id,
        email: input.admin.email,
        firstName: input.admin.firstName,
        lastName: input.admin.lastName,
        role: 'admin_clinician',
        invitedBy: null,
        now: input.now,
        codes: input.codes,
      },
      startWorkflow,
      transaction,
    );
    return { practice, invitation };
  });
}
