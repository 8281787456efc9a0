import { Sequelize } from 'sequelize';
import pg from 'pg';
import { Practice } from './practice';
import { StaffUser } from './staffUser';
import { Service } from './service';
import { BookingPreferences } from './bookingPreferences';
import { AvailabilityRule } from './availabilityRule';
import { TimeOff } from './timeOff';
import { Client } from './client';
import { TimeHold } from './timeHold';
import { AppointmentRequest } from './appointmentRequest';
import { Appointment } from './appointment';
import { Notification } from './notification';
import { AuditEntry } from './auditEntry';

const models = [
  Practice,
  StaffUser,
  Service,
  BookingPreferences,
  AvailabilityRule,
  TimeOff,
  Client,
  TimeHold,
  AppointmentRequest,
  Appointment,
  Notification,
  AuditEntry,
];

// DATE columns come back as strings by default in pg; date-only values stay 'YYYY-MM-DD' text, never a
// Date at local midnight, so the process time zone cannot shift them.
pg.types.setTypeParser(pg.types.builtins.DATE, (v: string) => v);

/** Opens a connection pool to url and registers every model on it. */
export function createDatabase(
  url: string,
  opts: { poolMax?: number; log?: (sql: string) => void } = {},
): Sequelize {
  const sequelize = new Sequelize(url, {
    dialect: 'postgres',
    logging: opts.log ?? false,
    pool: { max: opts.poolMax ?? 10, min: 0, idle: 10_000, acquire: 30_000 },
    // Timestamps cross the wire as UTC instants whatever the server or process zone.
    timezone: '+00:00',
    define: { underscored: true },
  });
  for (const model of models) model.setup(sequelize);
  return sequelize;
}

/** True when the database answers a trivial query. */
export async function databaseReachable(sequelize: Sequelize): Promise<boolean> {
  try {
    await sequelize.query('SELECT 1');
    return true;
  } catch {
    return false;
  }
}
