// The big screen's shell: sign in from the screen link, find the event, follow its live snapshot and
// render the mode the host console chose. The screen never goes blank: while the connection is down
// it keeps the last state (also across a reload), polls the HTTP API, and shows a small dot.
import { type ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import type { ScreenState } from '../../src/modules/event/schemas.ts';
import { dropTokenFromUrl } from '../common/url.ts';
import { fetchMe, fetchScreenState, measureOffset, openScreenSession } from './api.ts';
import { type ScreenLocale, screenLocale, type T, translator } from './i18n.ts';
import { connectScreenLive } from './live.ts';
import { AgendaView, ProgressView, RevealView, SpeakerView, TitleCard } from './modes.tsx';
import { SlidesView } from './Slides.tsx';

/** How often the HTTP state is polled while the WebSocket is down. */
export const POLL_MS = 2000;
/** The reconnecting dot appears only after this long, so a normal (re)connect does not flicker. */
const DOT_GRACE_MS = 1200;
const CACHE_KEY = 'shaipin.screen.last';

type Phase =
  | { kind: 'starting' }
  | { kind: 'signingIn' }
  | { kind: 'noSession' }
  | { kind: 'invalid'; message: string | null }
  | { kind: 'ended' }
  | { kind: 'ready'; eventId: string };

function sessionStore(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

function localStore(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/** The last state shown on this tab: what a reload shows until the server answers again. */
const cache = {
  read(): ScreenState | null {
    try {
      const raw = sessionStore()?.getItem(CACHE_KEY);
      return raw ? (JSON.parse(raw) as ScreenState) : null;
    } catch {
      return null;
    }
  },
  write(state: ScreenState): void {
    try {
      sessionStore()?.setItem(CACHE_KEY, JSON.stringify(state));
    } catch {
      // Storage full or blocked: the reload then shows "connecting" instead of the last state.
    }
  },
  clear(): void {
    try {
      sessionStore()?.removeItem(CACHE_KEY);
    } catch {
      // Nothing to clear.
    }
  },
};

const sleep = (ms: number) => new Promise<void>((resolve) => window.setTimeout(resolve, ms));
const backoff = (attempt: number) => Math.min(5000, 300 * 2 ** attempt);

function Message({ title, hint, testId }: { title: string; hint?: string; testId?: string }) {
  return (
    <div className="message" data-testid="fullscreen-message">
      <div className="message-title" data-testid={testId}>
        {title}
      </div>
      {hint ? <div className="message-hint">{hint}</div> : null}
    </div>
  );
}

function ModeView(props: {
  state: ScreenState;
  t: T;
  locale: ScreenLocale;
  offsetRef: { readonly current: number };
}) {
  switch (props.state.mode) {
    case 'title':
      return <TitleCard {...props} />;
    case 'agenda':
      return <AgendaView {...props} />;
    case 'speaker':
      return <SpeakerView {...props} />;
    case 'slides':
      return <SlidesView {...props} />;
    case 'progress':
      return <ProgressView {...props} />;
    case 'reveal':
      return <RevealView {...props} />;
  }
}

export function App() {
  const locale = useMemo(() => screenLocale(window.location.search, localStore()), []);
  const t = useMemo(() => translator(locale), [locale]);
  const [phase, setPhase] = useState<Phase>({ kind: 'starting' });
  const [state, setState] = useState<ScreenState | null>(cache.read);
  const [connected, setConnected] = useState(false);
  const [showDot, setShowDot] = useState(false);
  const [idleCursor, setIdleCursor] = useState(false);
  /** Server clock minus this computer's clock; 0 until measured (same machine in most halls anyway). */
  const offsetRef = useRef(0);
  const offsetRtt = useRef(Number.POSITIVE_INFINITY);

  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  useEffect(() => {
    document.title = state ? `${state.event.title} · ${t('pageTitle')}` : t('pageTitle');
  }, [state, t]);

  // Sign in (screen link) and find the event; network failures are retried, answers are final.
  useEffect(() => {
    let cancelled = false;
    const token = new URLSearchParams(window.location.search).get('t');
    if (token) dropTokenFromUrl();
    (async () => {
      if (token) {
        setPhase({ kind: 'signingIn' });
        for (let attempt = 0; !cancelled; attempt++) {
          const res = await openScreenSession(token, locale);
          if (res.kind === 'ok') break;
          if (res.kind === 'error') {
            cache.clear();
            setState(null);
            setPhase({ kind: 'invalid', message: res.message });
            return;
          }
          await sleep(backoff(attempt));
        }
      }
      for (let attempt = 0; !cancelled; attempt++) {
        const res = await fetchMe(locale);
        if (cancelled) return;
        if (res.kind === 'ok' && res.body.kind === 'screen' && res.body.screen) {
          const eventId = res.body.screen.eventId;
          setState((s) => (s && s.event.id !== eventId ? null : s));
          setPhase({ kind: 'ready', eventId });
          return;
        }
        if (res.kind !== 'network' && !(res.kind === 'error' && res.status >= 500)) {
          cache.clear();
          setState(null);
          setPhase({ kind: 'noSession' });
          return;
        }
        await sleep(backoff(attempt));
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [locale]);

  const eventId = phase.kind === 'ready' ? phase.eventId : null;

  // The live snapshot, the clock offset, and the HTTP poll while the socket is down.
  useEffect(() => {
    if (!eventId) return;
    let cancelled = false;
    let socketUp = false;
    let pollTimer: number | undefined;
    let link: { close(): void } | null = null;
    const end = () => {
      cancelled = true;
      cache.clear();
      setState(null);
      setPhase({ kind: 'ended' });
    };
    const accept = (s: ScreenState) => {
      if (cancelled || s.event.id !== eventId) return;
      setState(s);
      cache.write(s);
    };
    let polling = false;
    const poll = async () => {
      window.clearTimeout(pollTimer);
      // One poll chain at a time, however often the socket flaps.
      if (cancelled || socketUp || polling) return;
      polling = true;
      const res = await fetchScreenState(locale).finally(() => {
        polling = false;
      });
      if (cancelled) return;
      if (res.kind === 'ok') {
        if (!socketUp) accept(res.body);
        if (offsetRtt.current === Number.POSITIVE_INFINITY) {
          const m = await measureOffset(locale);
          if (m && m.rttMs < offsetRtt.current) {
            offsetRef.current = m.offsetMs;
            offsetRtt.current = m.rttMs;
          }
        }
      } else if (res.kind === 'error' && (res.status === 401 || res.status === 403)) {
        end();
        link?.close();
        return;
      }
      if (!cancelled && !socketUp) pollTimer = window.setTimeout(poll, POLL_MS);
    };
    link = connectScreenLive(eventId, {
      onSnapshot: accept,
      onStatus: (up) => {
        if (cancelled) return;
        socketUp = up;
        setConnected(up);
        if (!up) void poll();
        else window.clearTimeout(pollTimer);
      },
      onOffset: (offsetMs) => {
        offsetRef.current = offsetMs;
        offsetRtt.current = 0;
      },
      onRefused: () => end(),
    });
    void poll();
    return () => {
      cancelled = true;
      window.clearTimeout(pollTimer);
      link?.close();
    };
  }, [eventId, locale]);

  // Before the first answer (a reload while the server is down) the cached state shows with the dot.
  const following = phase.kind === 'ready' || (phase.kind === 'starting' && state !== null);
  useEffect(() => {
    if (connected || !following) {
      setShowDot(false);
      return;
    }
    const timer = window.setTimeout(() => setShowDot(true), DOT_GRACE_MS);
    return () => window.clearTimeout(timer);
  }, [connected, following]);

  // The pointer disappears when nobody moves it; double-click toggles full screen.
  useEffect(() => {
    let timer = window.setTimeout(() => setIdleCursor(true), 3000);
    const onMove = () => {
      setIdleCursor(false);
      window.clearTimeout(timer);
      timer = window.setTimeout(() => setIdleCursor(true), 3000);
    };
    const onDoubleClick = () => {
      if (document.fullscreenElement) void document.exitFullscreen().catch(() => {});
      else void document.documentElement.requestFullscreen?.().catch(() => {});
    };
    window.addEventListener('mousemove', onMove);
    window.addEventListener('dblclick', onDoubleClick);
    return () => {
      window.clearTimeout(timer);
      window.removeEventListener('mousemove', onMove);
      window.removeEventListener('dblclick', onDoubleClick);
    };
  }, []);

  let body: ReactNode;
  if (phase.kind === 'noSession') body = <Message title={t('noSessionTitle')} hint={t('noSessionHint')} />;
  else if (phase.kind === 'invalid')
    body = <Message title={t('invalidTitle')} hint={phase.message ?? t('invalidHint')} testId="invalid" />;
  else if (phase.kind === 'ended') body = <Message title={t('endedTitle')} hint={t('endedHint')} />;
  else if (phase.kind === 'signingIn') body = <Message title={t('signingIn')} />;
  else if (state) body = <ModeView state={state} t={t} locale={locale} offsetRef={offsetRef} />;
  else body = <Message title={t('connecting')} />;

  const theme = state && phase.kind !== 'noSession' && phase.kind !== 'invalid' ? state.theme : 'red';
  return (
    <div
      className={`screen theme-${theme}${idleCursor ? ' cursor-idle' : ''}`}
      data-testid="screen"
      data-mode={state?.mode ?? ''}
      data-theme={theme}
      data-connected={connected ? 'true' : 'false'}
    >
      <div className="frame">{body}</div>
      {showDot ? (
        <div className="reconnecting" data-testid="reconnecting" role="status" title={t('reconnecting')}>
          <span className="reconnecting-dot" aria-hidden="true" />
          <span className="visually-hidden">{t('reconnecting')}</span>
        </div>
      ) : null}
    </div>
  );
}
