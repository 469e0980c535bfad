// The door of the showcase event: the only file other modules, the server and the scripts import from
// this module, besides schemas.ts, domain/ and locales/.
import './locales/index.ts';
import type { ProductModule } from '../../platform/module.ts';
import * as init from './migrations/20261126164817_init.ts';
import * as eventDay from './migrations/20261126171223_event_day.ts';
import * as publicationVersions from './migrations/20261202131500_publication_versions.ts';
import * as revealSteps from './migrations/20261202140000_reveal_steps.ts';
import * as linkTokenDigests from './migrations/20261202160000_link_token_digests.ts';
import * as screenSlides from './migrations/20261203070000_screen_slides.ts';
import { registerEventRoutes } from './routes.ts';

export const eventModule: ProductModule = {
  name: 'event',
  migrations: {
    '20261126164817_event_init': init,
    '20261126171223_event_day': eventDay,
    '20261202131500_event_publication_versions': publicationVersions,
    '20261202140000_event_reveal_steps': revealSteps,
    '20261202160000_event_link_token_digests': linkTokenDigests,
    '20261203070000_event_screen_slides': screenSlides,
  },
  registerRoutes: registerEventRoutes,
};

export { patchSlot } from './agenda.ts';
export { getEventRow, loadEventTracks, loadSlots } from './event-view.ts';
export { type LiveRouteOptions, registerLive } from './live/route.ts';
export { newEventRow, newPendingSlotRow } from './new-rows.ts';
export { loadEventData } from './results.ts';
export { closeSlot, openSlot } from './slot-control.ts';
export { submitScore } from './submit-score.ts';
