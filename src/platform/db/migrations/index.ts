import type { Migration } from 'kysely';
import * as auditLog from './20261126164816_audit_log.ts';
import * as scheduledRuns from './20261203100200_scheduled_runs.ts';

/** The platform's own tables: the audit log every module writes to, the time rules' runs. */
export const platformMigrations: Readonly<Record<string, Migration>> = {
  '20261126164816_platform_audit_log': auditLog,
  '20261203100200_platform_scheduled_runs': scheduledRuns,
};
