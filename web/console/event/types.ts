import type { EventDetail, HostState } from '../../../src/modules/event/schemas.ts';

/** What every tab of the event page receives. `detail` is null only for reporters (results only). */
export interface EventTabProps {
  eventId: string;
  detail: EventDetail | null;
  /** Refetches the event detail after a change. */
  reload: () => Promise<void>;
  /** Non-organizers and locked events: nothing can be changed. */
  readOnly: boolean;
  /** The user is an organizer (reveal and publish stay possible on a locked event). */
  organizer: boolean;
}

/** The non-null detail for tabs that only organizers, leaders and observers see. */
export function requireDetail(detail: EventDetail | null): EventDetail {
  if (!detail) throw new Error('event detail required');
  return detail;
}

/** One slot of the agenda as the host console sees it: with its timer. */
export type HostSlot = HostState['slots'][number];
