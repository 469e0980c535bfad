import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';

// Invite and screen tokens are credentials: from now on only their sha256 is stored, and a new link's
// token is derived from its id under the server's link key (platform/link-tokens.ts). Links issued
// before keep signing in (their digest is stored here); they cannot be shown again, so printing one
// asks for a new link. The digest is computed here, not imported, so this step never changes.
const digest = (token: string): string => createHash('sha256').update(token).digest('hex');

export async function up(db: Kysely<unknown>): Promise<void> {
  const d = db as Kysely<Record<string, { id: string; token_hash: string }>>;
  for (const table of ['invites', 'screen_tokens']) {
    await db.schema.alterTable(table).renameColumn('token', 'token_hash').execute();
    const rows = await d.selectFrom(table).select(['id', 'token_hash']).execute();
    for (const r of rows) {
      await d
        .updateTable(table)
        .set({ token_hash: digest(r.token_hash) })
        .where('id', '=', r.id)
        .execute();
    }
  }
}
