// The screen's view of the shared live client (web/common/live-client.ts): screen snapshots only, the
// connection as up/down, the clock offset, and the final refusals (revoked link, other event).
import type { ScreenState } from '../../src/modules/event/schemas.ts';
import { connectLive } from '../common/live-client.ts';

export interface ScreenLiveHandlers {
  onSnapshot(state: ScreenState): void;
  /** true once the server has greeted us on a socket; false while (re)connecting. */
  onStatus(up: boolean): void;
  /** Server clock minus ours, in ms, whenever the measurement changes. */
  onOffset(offsetMs: number): void;
  /** The server refused this session for good: reconnecting would not help. */
  onRefused(code: number): void;
}

// A lost server or network should cost the hall well under a second once it is back: start retrying
// fast and never wait more than a second between attempts.
const MIN_RETRY_MS = 150;
const MAX_RETRY_MS = 1000;

export function connectScreenLive(eventId: string, h: ScreenLiveHandlers): { close(): void } {
  const client = connectLive({ eventId, minRetryMs: MIN_RETRY_MS, maxRetryMs: MAX_RETRY_MS });
  client.onStatus((status) => h.onStatus(status === 'connected'));
  client.onOffset((offset) => h.onOffset(offset));
  client.onRefused((code) => h.onRefused(code));
  client.onSnapshot((snapshot) => {
    if (snapshot.screen) h.onSnapshot(snapshot.screen);
  });
  return { close: () => client.close() };
}
