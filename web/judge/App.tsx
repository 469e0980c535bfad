// The judge page shell: sign in from the invite link, fetch the judge's state (at once when the live
// socket says something changed, slowly otherwise), own the outbox, and pick what fills the screen
// (the open unit, the waiting room, or a full-screen message).
import { useEffect, useMemo, useRef, useState } from 'react';
import type { JudgeState } from '../../src/modules/event/schemas.ts';
import { dropTokenFromUrl } from '../common/url.ts';
import { fetchJudgeState, openJudgeSession } from './api.ts';
import { initialLocale, type JudgeLocale, storeLocale, translator } from './i18n.ts';
import { Judging } from './Judging.tsx';
import { useJudgeLive } from './live.ts';
import { backoffDelay, type QueueSnapshot, type StorageLike, SubmissionQueue } from './queue.ts';
import { clearState, loadState, saveState } from './state-cache.ts';

/**
 * The state poll is only the fallback of the live socket's "refresh": slow while the socket is down
 * (10,000 phones polling fast would be a load test of their own), slower still while it is up, in
 * case a refresh was lost.
 */
export const POLL_MS = { socketDown: 10_000, socketUp: 60_000 };

type Screen =
  | { kind: 'loading' }
  | { kind: 'signingIn' }
  | { kind: 'noSession' }
  | { kind: 'invalid'; message: string | null }
  | { kind: 'ended' }
  | { kind: 'ready' };

/** localStorage, or null where it is blocked (some private modes throw on access). */
export function browserStorage(): Storage | null {
  try {
    const s = window.localStorage;
    const probe = 'shaipin.judge.probe';
    s.setItem(probe, '1');
    s.removeItem(probe);
    return s;
  } catch {
    return null;
  }
}

function memoryStorage(): StorageLike {
  const m = new Map<string, string>();
  return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v) };
}

const browserClock = {
  now: () => Date.now(),
  setTimeout: (fn: () => void, ms: number) => window.setTimeout(fn, ms),
  clearTimeout: (h: unknown) => window.clearTimeout(h as number),
};

export function App() {
  const storage = useMemo(browserStorage, []);
  const [locale, setLocale] = useState<JudgeLocale>(() =>
    initialLocale(storage, navigator.languages?.length ? navigator.languages : [navigator.language]),
  );
  const t = useMemo(() => translator(locale), [locale]);
  const localeRef = useRef(locale);
  localeRef.current = locale;

  const [screen, setScreen] = useState<Screen>({ kind: 'loading' });
  const [state, setState] = useState<JudgeState | null>(null);
  const [judgeId, setJudgeId] = useState<string | null>(null);
  const [connectionTrouble, setConnectionTrouble] = useState(false);
  const [queue, setQueue] = useState<SubmissionQueue | null>(null);
  const [snapshot, setSnapshot] = useState<QueueSnapshot | null>(null);
  /** When the state shown is the copy kept on the phone (no answer from the server yet): its date. */
  const [offlineCopyOf, setOfflineCopyOf] = useState<string | null>(null);
  const pollNow = useRef<() => void>(() => {});
  const live = useJudgeLive(state?.event.id ?? null, () => pollNow.current());
  const liveUp = useRef(live.connected);
  liveUp.current = live.connected;

  useEffect(() => {
    document.documentElement.lang = locale;
    document.title = t('pageTitle');
  }, [locale, t]);

  // Sign-in from the invite link, then the judge's state: fetched again at once on the live socket's
  // "refresh" (pollNow), and on a slow timer as the fallback.
  useEffect(() => {
    let cancelled = false;
    let timer: number | undefined;
    let inFlight = false;
    /** A refresh arrived while a fetch was in flight, whose answer may predate the change. */
    let again = false;
    let failures = 0;
    let hadState = false;
    let signedInNow = false;

    const poll = async () => {
      if (cancelled) return;
      if (inFlight) {
        again = true;
        return;
      }
      window.clearTimeout(timer);
      inFlight = true;
      again = false;
      const r = await fetchJudgeState(localeRef.current);
      inFlight = false;
      if (cancelled) return;
      if (r.kind === 'ok') {
        failures = 0;
        hadState = true;
        saveState(storage, r.body, new Date());
        setOfflineCopyOf(null);
        setConnectionTrouble(false);
        setState(r.body);
        setJudgeId(r.body.judge.id);
        setScreen({ kind: 'ready' });
      } else if (r.kind === 'error' && (r.status === 401 || r.status === 403)) {
        // Not (or no longer) a judge session: polling cannot fix that, a new scan can.
        clearState(storage);
        setOfflineCopyOf(null);
        setScreen(hadState ? { kind: 'ended' } : { kind: 'noSession' });
        return;
      } else {
        failures += 1;
        if (failures >= 2) setConnectionTrouble(true);
        // Reloaded without network (the page came from the service worker's cache): show the state
        // last seen, so the rubric is there and scores can be queued. Not right after signing in with
        // a new invite, which may be another judge's on a shared phone.
        if (!hadState && !signedInNow) {
          const cached = loadState(storage);
          if (cached) {
            hadState = true;
            setConnectionTrouble(true);
            setOfflineCopyOf(cached.savedAt);
            setState(cached.state);
            setJudgeId(cached.state.judge.id);
            setScreen({ kind: 'ready' });
          }
        }
      }
      if (again) {
        void poll();
        return;
      }
      // A failed fetch is retried on the fallback timer even with the socket up: no refresh may come.
      const slow = r.kind === 'ok' && liveUp.current;
      timer = window.setTimeout(poll, slow ? POLL_MS.socketUp : POLL_MS.socketDown);
    };
    pollNow.current = () => void poll();

    const token = new URLSearchParams(window.location.search).get('t');
    if (token) {
      setScreen({ kind: 'signingIn' });
      let attempts = 0;
      const signIn = async () => {
        const r = await openJudgeSession(token, localeRef.current);
        if (cancelled) return;
        if (r.kind === 'ok') {
          dropTokenFromUrl();
          signedInNow = true;
          setConnectionTrouble(false);
          setJudgeId(r.body.judgeId);
          void poll();
        } else if (r.kind === 'error' && r.status !== 408 && r.status !== 429 && r.status < 500) {
          setScreen({ kind: 'invalid', message: r.message });
        } else {
          attempts += 1;
          setConnectionTrouble(true);
          timer = window.setTimeout(signIn, backoffDelay(attempts));
        }
      };
      void signIn();
    } else {
      void poll();
    }
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
    };
    // Runs once per page load: the token is read from the URL exactly once.
  }, [storage]);

  // The socket went down: the next fetch must come on the fallback timer, not the slow one. (When it
  // comes up the server sends a refresh, which fetches at once.)
  const wasLive = useRef(false);
  useEffect(() => {
    if (wasLive.current && !live.connected) pollNow.current();
    wasLive.current = live.connected;
  }, [live.connected]);

  // One outbox per judge; it resumes whatever an earlier page load left unsent.
  useEffect(() => {
    if (!judgeId) return;
    const q = new SubmissionQueue({
      fetch: (url, init) => window.fetch(url, init),
      storage: storage ?? memoryStorage(),
      clock: browserClock,
      judgeId,
      locale: () => localeRef.current,
    });
    const unsubscribe = q.subscribe(setSnapshot);
    setSnapshot(q.snapshot());
    setQueue(q);
    q.start();
    const retryNow = () => {
      q.online();
      pollNow.current();
    };
    // Phones suspend timers while the screen is off: catch up as soon as the judge looks again.
    const onVisible = () => {
      if (document.visibilityState === 'visible') retryNow();
    };
    window.addEventListener('online', retryNow);
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      unsubscribe();
      q.stop();
      window.removeEventListener('online', retryNow);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [judgeId, storage]);

  // Only when the outbox cannot be stored does leaving the page lose anything.
  useEffect(() => {
    if (!snapshot || snapshot.persisted || snapshot.pending.length === 0) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [snapshot]);

  const toggleLocale = () => {
    const next: JudgeLocale = locale === 'zh-CN' ? 'en-US' : 'zh-CN';
    storeLocale(storage, next);
    setLocale(next);
    pollNow.current();
  };

  const languageButton = (
    <button type="button" className="lang" onClick={toggleLocale} data-testid="language-toggle">
      {t('switchLanguage')}
    </button>
  );

  if (screen.kind === 'ready' && state && queue && snapshot) {
    return (
      <Judging
        state={state}
        queue={queue}
        snapshot={snapshot}
        storage={storage}
        t={t}
        locale={locale}
        connectionTrouble={connectionTrouble}
        offlineCopyOf={offlineCopyOf}
        clockOffsetMs={live.offsetMs}
        languageButton={languageButton}
      />
    );
  }

  let title: string;
  let detail: string | null = null;
  let tone = 'neutral';
  switch (screen.kind) {
    case 'signingIn':
      title = t('signingIn');
      if (connectionTrouble) detail = t('status.waitingNetwork');
      break;
    case 'noSession':
      title = t('scanPrompt');
      detail = t('scanHint');
      break;
    case 'invalid':
      title = t('inviteInvalidTitle');
      detail = screen.message ?? t('unknownError');
      tone = 'error';
      break;
    case 'ended':
      title = t('sessionEnded');
      if (snapshot && snapshot.pending.length > 0) detail = t('unsentKept');
      tone = 'error';
      break;
    default:
      title = t('loading');
      if (connectionTrouble) detail = t('status.waitingNetwork');
  }
  return (
    <main className={`fullscreen ${tone}`} data-testid="fullscreen-message" data-screen={screen.kind}>
      <div className="fullscreen-top">{languageButton}</div>
      <div className="fullscreen-body">
        <h1>{title}</h1>
        {detail && <p>{detail}</p>}
      </div>
    </main>
  );
}
