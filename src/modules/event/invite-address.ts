// The address the judges' QR codes carry, and whether a phone can reach it. Without PUBLIC_URL the
// links take the address the organizer's browser used: opened as http://localhost:3000, every printed
// code would point to the judge's own phone. The organizer is told, and offered this machine's
// network addresses (open the console at one of them, or set PUBLIC_URL, then print).
import { networkInterfaces } from 'node:os';
import { requireOrganizer } from '../../kernel/actor.ts';
import type { Ctx } from '../../platform/context.ts';
import { getEventRow } from './event-view.ts';
import type { InviteAddressView } from './schemas.ts';

/** Host names no other device reaches: this machine's own. */
export function isLocalOnlyHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || h === '0.0.0.0' || /^127\./.test(h);
}

/** This machine's IPv4 addresses on its networks, as the base URL a phone would use. */
export function networkBases(base: URL): string[] {
  const port = base.port ? `:${base.port}` : '';
  const out: string[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.family === 'IPv4' && !a.internal) out.push(`${base.protocol}//${a.address}${port}`);
    }
  }
  return [...new Set(out)].sort();
}

export async function inviteAddress(ctx: Ctx, eventId: string): Promise<InviteAddressView> {
  requireOrganizer(ctx.actor);
  await getEventRow(ctx, eventId);
  const base = new URL(ctx.publicUrl || 'http://localhost');
  return {
    base: base.origin,
    localOnly: isLocalOnlyHost(base.hostname),
    networkBases: networkBases(base),
  };
}
