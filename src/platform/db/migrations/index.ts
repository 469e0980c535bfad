import type { Migration } from 'kysely';
import * as auditLog from './20261126164816_audit_log.ts';

/** The platform's own tables (the audit log every module writes to). */
export const platformMigrations: Readonly<Record<string, Migration>> = {
  '20261126164816_platform_audit_log': auditLog,
};
