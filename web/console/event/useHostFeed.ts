// The host console's data: one WebSocket (web/common/live-client.ts) pushes the organizer's complete
// host state and the big screen's preview; while that socket is down the console polls the HTTP API
// every 2 s, so the organizer never runs the day from a frozen page. Observers get no host state
// (it names missing judges and carries the controls' state): they follow the progress over HTTP and
// the screen preview over the socket.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { HostState, ScreenState, SlotProgress, TimerView } from '../../../src/modules/event/schemas.ts';
import { api } from '../../common/api.ts';
import { connectLive, type LiveClient, type LiveStatus } from '../../common/live-client.ts';

export const POLL_MS = 2000;

export interface HostFeed {
  /** Organizers only; null until the first answer. */
  host: HostState | null;
  screen: ScreenState | null;
  /** Observers only (organizers read the progress from `host`). */
  progress: SlotProgress[] | null;
  status: LiveStatus;
  /** The server refused the socket for good (signed out, no access): no live updates at all. */
  refused: boolean;
  /** The last HTTP poll failed (only meaningful while polling). */
  error: Error | null;
  /** When the console last heard from the server (ms, this computer's clock). */
  updatedAt: number | null;
  /** Best estimate of the server's clock now, for the timer. */
  serverNow: () => number;
  /** Fetches the state over HTTP now (after an action while the socket is down). */
  refresh: () => Promise<void>;
  /** An action's answer (PATCH screen, POST current) is the fresh host state: show it at once. */
  applyHost: (host: HostState) => void;
  /** A timer action's answer: the slot's new timer, shown before the push arrives. */
  applyTimer: (timer: TimerView, makesCurrent: boolean) => void;
  reconnect: () => void;
}

export function useHostFeed(eventId: string, organizer: boolean): HostFeed {
  const [host, setHost] = useState<HostState | null>(null);
  const [screen, setScreen] = useState<ScreenState | null>(null);
  const [progress, setProgress] = useState<SlotProgress[] | null>(null);
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const [refused, setRefused] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const [updatedAt, setUpdatedAt] = useState<number | null>(null);
  const client = useRef<LiveClient | null>(null);
  /** Offset measured over HTTP, used until the socket has measured its own. */
  const httpOffset = useRef(0);
  /** performance.now() of the last push: an HTTP answer to an older request must not undo it. */
  const lastPush = useRef(-1);
  const alive = useRef(true);

  useEffect(() => {
    alive.current = true;
    setHost(null);
    setScreen(null);
    setProgress(null);
    setRefused(false);
    const live = connectLive({ eventId });
    client.current = live;
    const unsubscribe = [
      live.onSnapshot((s) => {
        lastPush.current = performance.now();
        if (s.host) setHost(s.host);
        if (s.screen) setScreen(s.screen);
        setUpdatedAt(Date.now());
      }),
      live.onStatus(setStatus),
      live.onRefused(() => setRefused(true)),
    ];
    // The socket's offset takes a round trip or two; until then the HTTP clock keeps the countdown
    // honest on a computer whose clock is off.
    const t0 = Date.now();
    api
      .get<{ serverNow: number }>('/api/time')
      .then((r) => {
        const t1 = Date.now();
        if (alive.current) httpOffset.current = r.serverNow - (t0 + t1) / 2;
      })
      .catch(() => undefined);
    return () => {
      alive.current = false;
      for (const off of unsubscribe) off();
      live.close();
      client.current = null;
    };
  }, [eventId]);

  const poll = useCallback(
    async (full: boolean) => {
      const started = performance.now();
      try {
        const [h, sc, p] = await Promise.all([
          organizer && full ? api.get<HostState>(`/api/events/${eventId}/host`) : null,
          full ? api.get<ScreenState>(`/api/events/${eventId}/screen-state`) : null,
          organizer ? null : api.get<{ slots: SlotProgress[] }>(`/api/events/${eventId}/progress`),
        ]);
        if (!alive.current) return;
        if (lastPush.current < started) {
          if (h) setHost(h);
          if (sc) setScreen(sc);
        }
        if (p) setProgress(p.slots);
        setUpdatedAt(Date.now());
        setError(null);
      } catch (e) {
        if (alive.current) setError(e instanceof Error ? e : new Error(String(e)));
      }
    },
    [eventId, organizer],
  );

  // Organizers poll only while the socket is down; observers always poll the progress (their socket
  // carries the screen's view only), and the screen preview too while the socket is down.
  const connected = status === 'connected';
  useEffect(() => {
    if (organizer && connected) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      if (document.visibilityState === 'visible') await poll(!connected);
      if (!stopped) timer = setTimeout(() => void tick(), POLL_MS);
    };
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [organizer, connected, poll]);

  const serverNow = useCallback(() => {
    const live = client.current;
    return live && live.offsetMs() !== null ? live.serverNow() : Date.now() + httpOffset.current;
  }, []);

  const refresh = useCallback(() => poll(true), [poll]);

  const applyHost = useCallback((next: HostState) => setHost(next), []);

  const applyTimer = useCallback((timer: TimerView, makesCurrent: boolean) => {
    setHost((h) =>
      h
        ? {
            ...h,
            currentSlotId: makesCurrent ? timer.slotId : h.currentSlotId,
            slots: h.slots.map((s) => (s.id === timer.slotId ? { ...s, timer } : s)),
          }
        : h,
    );
  }, []);

  const reconnect = useCallback(() => client.current?.reconnectNow(), []);

  return {
    host,
    screen,
    progress,
    status,
    refused,
    error,
    updatedAt,
    serverNow,
    refresh,
    applyHost,
    applyTimer,
    reconnect,
  };
}
