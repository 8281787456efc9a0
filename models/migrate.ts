import { Umzug, SequelizeStorage, type MigrationFn as UmzugMigrationFn } from 'umzug';
import type { QueryInterface, Sequelize } from 'sequelize';
import * as initialSchema from './migrations/0001-initial-schema';
import * as auth from './migrations/0002-auth';
import * as clientSignIn from './migrations/0003-client-sign-in';
import * as emailVerification from './migrations/0004-email-verification';
import * as requestBodyHash from './migrations/0006-request-body-hash-and-paging';
import * as knownSignInAddresses from './migrations/0007-known-sign-in-addresses';
import * as staffInvitations from './migrations/0008-staff-invitations';
import * as clients from './migrations/0009-clients';
import * as passwordResetAndProfile from './migrations/0010-password-reset-and-profile';
import * as pendingTexts from './migrations/0011-pending-texts';
import * as attendance from './migrations/0012-attendance';
import * as inviteSequence from './migrations/0013-invite-sequence';
import * as calendarFeeds from './migrations/0014-calendar-feeds';
import * as rescheduleRequests from './migrations/0015-reschedule-requests';
import * as reminders from './migrations/0016-reminders';
import * as reminderOptOut from './migrations/0017-reminder-opt-out';
import * as portalCacheVersions from './migrations/0018-portal-cache-versions';

/** A migration: up/down over Sequelize's QueryInterface. */
export type MigrationFn = UmzugMigrationFn<QueryInterface>;

// Listed here rather than globbed so the set of migrations is the same under tsx, a bundle or a build.
// Each migration is one multi-statement query, which PostgreSQL runs as one implicit transaction.
const migrations: { name: string; module: { up: MigrationFn; down: MigrationFn } }[] = [
  { name: '0001-initial-schema', module: initialSchema },
  { name: '0002-auth', module: auth },
  { name: '0003-client-sign-in', module: clientSignIn },
  { name: '0004-email-verification', module: emailVerification },
  { name: '0006-request-body-hash-and-paging', module: requestBodyHash },
  { name: '0007-known-sign-in-addresses', module: knownSignInAddresses },
  { name: '0008-staff-invitations', module: staffInvitations },
  { name: '0009-clients', module: clients },
  { name: '0010-password-reset-and-profile', module: passwordResetAndProfile },
  { name: '0011-pending-texts', module: pendingTexts },
  { name: '0012-attendance', module: attendance },
  { name: '0013-invite-sequence', module: inviteSequence },
  { name: '0014-calendar-feeds', module: calendarFeeds },
  { name: '0015-reschedule-requests', module: rescheduleRequests },
  { name: '0016-reminders', module: reminders },
  { name: '0017-reminder-opt-out', module: reminderOptOut },
  { name: '0018-portal-cache-versions', module: portalCacheVersions },
];

/** The migrator for one database; migrations run in order, each in its own transaction. */
export function createMigrator(sequelize: Sequelize, log: (msg: string) => void = () => {}) {
  return new Umzug<QueryInterface>({
    migrations: migrations.map(({ name, module }) => ({
      name,
      up: module.up,
      down: module.down,
    })),
    context: sequelize.getQueryInterface(),
    storage: new SequelizeStorage({ sequelize, tableName: 'schema_migrations' }),
    logger: {
      info: (m) => log(`migration ${JSON.stringify(m)}`),
      warn: (m) => log(`migration warning ${JSON.stringify(m)}`),
      error: (m) => log(`migration error ${JSON.stringify(m)}`),
      debug: () => {},
    },
  });
}

/** Applies every pending migration; returns the names applied. */
export async function migrate(sequelize: Sequelize, log?: (msg: string) => void): Promise<string[]> {
  const applied = await createMigrator(sequelize, log).up();
  return applied.map((m) => m.name);
}
