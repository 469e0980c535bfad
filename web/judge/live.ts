// The judge page's live socket (web/common/live-client.ts): the server only says "refresh" when the
// agenda, a slot or the stage timer changed, and the page refetches its own state through the API;
// the socket also measures the clock offset the stage timer needs.
import { useEffect, useRef, useState } from 'react';
import { connectLive } from '../common/live-client.ts';

export interface JudgeLive {
  /** The socket is up: the state poll can slow down. */
  connected: boolean;
  /** Server clock minus the phone's, in ms (0 until measured). */
  offsetMs: number;
}

export function useJudgeLive(eventId: string | null, onRefresh: () => void): JudgeLive {
  const [connected, setConnected] = useState(false);
  const [offsetMs, setOffsetMs] = useState(0);
  const refresh = useRef(onRefresh);
  refresh.current = onRefresh;

  useEffect(() => {
    if (!eventId) return;
    // A hall of phones retrying every second while the server restarts would be a load of its own:
    // judges back off further than the big screen (the state poll and the outbox carry on anyway).
    const client = connectLive({ eventId, minRetryMs: 500, maxRetryMs: 10_000 });
    const unsubscribe = [
      client.onStatus((s) => setConnected(s === 'connected')),
      client.onOffset(setOffsetMs),
      // Also sent right after each (re)connect, so changes missed while away are fetched.
      client.onRefresh(() => refresh.current()),
      // Refused for good (session revoked or ended): the state fetch says so and shows it.
      client.onRefused(() => refresh.current()),
    ];
    return () => {
      for (const off of unsubscribe) off();
      client.close();
      setConnected(false);
    };
  }, [eventId]);

  return { connected, offsetMs };
}
