// The five faces of the hall screen, one per screen mode chosen in the host console. Sizes are in
// screen units (--u, 1/100 of a 16:9 frame's width, see screen.css) so any 16:9 display looks the same.
import { Component, type CSSProperties, lazy, type ReactNode, Suspense } from 'react';
import type { ScreenState } from '../../src/modules/event/schemas.ts';
import { emWidth, fitSize, formatDateRange } from './format.ts';
import type { ScreenLocale, T } from './i18n.ts';
import { gradeLabel, isTopThree, type Reveal, rankedRows } from './ranking.ts';
import { StageTimer } from './Timer.tsx';

// ECharts is loaded only when a reveal is shown: the other modes never pay for it. A failed download
// (the hall Wi-Fi at the wrong moment) is retried a few times before the plain ranking stands in.
function loadChart(attempt = 0): Promise<typeof import('./RevealChart.tsx')> {
  return import('./RevealChart.tsx').catch((err: unknown) =>
    attempt >= 3
      ? Promise.reject(err)
      : new Promise<void>((resolve) => window.setTimeout(resolve, 500 * 2 ** attempt)).then(() =>
          loadChart(attempt + 1),
        ),
  );
}
const RevealChart = lazy(() => loadChart());

/** Shows `fallback` instead of a child that failed to render, so the screen never goes blank. */
export class Fallback extends Component<{ fallback: ReactNode; children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }
  override render(): ReactNode {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}

const u = (n: number): string => `calc(var(--u) * ${n.toFixed(2)})`;
const fitStyle = (text: string, width: number, max: number, min?: number): CSSProperties => ({
  fontSize: u(fitSize(text, width, max, min)),
});

export interface ModeProps {
  state: ScreenState;
  t: T;
  locale: ScreenLocale;
  offsetRef: { readonly current: number };
}

export function TitleCard({ state, t, locale }: ModeProps) {
  const { event } = state;
  return (
    <section className="mode mode-title" data-testid="mode-title">
      <div className="title-ornament" aria-hidden="true" />
      <div className="title-welcome">{t('title.welcome')}</div>
      <h1 className="title-event" style={fitStyle(event.title, 84, 7, 3)} data-testid="event-title">
        {event.title}
      </h1>
      <div className="title-rule" aria-hidden="true" />
      <div className="title-dates" data-testid="event-dates">
        {formatDateRange(t, locale, event.startDate, event.endDate)}
      </div>
      {event.venue ? (
        <div className="title-venue" data-testid="event-venue">
          {event.venue}
        </div>
      ) : null}
    </section>
  );
}

/** Type size (screen units) of an agenda showing these tracks side by side in about 57 units. */
function agendaSize(tracks: ScreenState['agenda']): number {
  const rows = Math.max(1, ...tracks.map((g) => g.slots.length));
  const longest = Math.max(
    4,
    ...tracks.flatMap((g) => [emWidth(g.trackName) * 1.15, ...g.slots.map((s) => emWidth(s.unitName))]),
  );
  const columnWidth = 57 / Math.max(1, tracks.length) - 2;
  // About 40 units of height below the header; a row is 1.65em high (screen.css), the track name 2.2em.
  return Math.min(3, 40 / (rows * 1.65 + 2.2), columnWidth / (longest + 6));
}

/** Below this the back rows cannot read the agenda: show one track instead of all of them. */
const AGENDA_MIN_SIZE = 1.8;

export function AgendaView({ state, t }: ModeProps) {
  const { agenda, current, upNext } = state;
  // Every slot fits on the screen and every name fits its column; when all tracks side by side would
  // be too small to read, the track on stage (or the next one to come) gets the whole width.
  let shown = agenda;
  if (agenda.length > 1 && agendaSize(agenda) < AGENDA_MIN_SIZE) {
    const focus =
      agenda.find((g) => g.slots.some((s) => s.slotId === current?.slotId)) ??
      agenda.find((g) => g.slots.some((s) => s.state !== 'closed')) ??
      agenda[0];
    shown = focus ? [focus] : agenda;
  }
  const rowSize = Math.max(1.1, agendaSize(shown));
  return (
    <section className="mode mode-agenda" data-testid="mode-agenda">
      <header className="mode-header">
        <div className="header-event">{state.event.title}</div>
        <h1 className="header-title">{t('agenda.heading')}</h1>
      </header>
      <div className="agenda-body">
        <aside className="agenda-side">
          <div className="side-label">{t('agenda.now')}</div>
          <div className="side-now" data-testid="agenda-now">
            {current ? (
              <>
                <div className="side-now-unit" style={fitStyle(current.unitName, 28, 3.4, 1.6)}>
                  {current.unitName}
                </div>
                <div className="side-now-track">
                  {t('speaker.position', { track: current.trackName, n: current.position })}
                </div>
              </>
            ) : (
              <div className="side-none">{t('agenda.nobody')}</div>
            )}
          </div>
          <div className="side-label">{t('agenda.upNext')}</div>
          <ol className="side-next" data-testid="agenda-up-next">
            {upNext.length === 0 ? <li className="side-none">{t('agenda.nobody')}</li> : null}
            {upNext.slice(0, 3).map((n) => (
              <li key={`${n.trackName}-${n.position}`}>
                <span className="side-next-unit" style={fitStyle(n.unitName, 28, 2.2, 1.2)}>
                  {n.unitName}
                </span>
                <span className="side-next-track">{n.trackName}</span>
              </li>
            ))}
          </ol>
        </aside>
        <div className="agenda-tracks" style={{ fontSize: u(rowSize) }}>
          {agenda.length === 0 ? <div className="empty">{t('agenda.empty')}</div> : null}
          {shown.map((track) => (
            <div className="agenda-track" key={track.trackId} data-testid="agenda-track">
              <h2 className="agenda-track-name">{track.trackName}</h2>
              <ol className="agenda-slots">
                {track.slots.map((s) => (
                  <li
                    key={s.slotId}
                    className={`agenda-slot agenda-slot-${s.state}${s.slotId === current?.slotId ? ' is-current' : ''}`}
                  >
                    <span className="agenda-pos">{s.position}</span>
                    <span className="agenda-unit">{s.unitName}</span>
                    <span className="agenda-state">{t(`agenda.state.${s.state}`)}</span>
                  </li>
                ))}
              </ol>
            </div>
          ))}
        </div>
      </div>
    </section>
  );
}

/** A mode with nothing to show yet: the event's title and what the hall is waiting for. */
function Waiting({
  mode,
  state,
  noteTestId,
  note,
  children,
}: {
  mode: 'speaker' | 'reveal';
  state: ScreenState;
  noteTestId: string;
  note: string;
  children?: ReactNode;
}) {
  return (
    <section className={`mode mode-${mode}`} data-testid={`mode-${mode}`}>
      <div className="header-event">{state.event.title}</div>
      <div className="waiting-note" data-testid={noteTestId}>
        {note}
      </div>
      {children}
    </section>
  );
}

function ProgressCount({ state, t, big }: { state: ScreenState; t: T; big: boolean }) {
  const c = state.current;
  if (!c || c.state === 'pending') return null;
  const { scored, eligible } = c.progress;
  return (
    <div
      className={big ? 'progress-count progress-count-big' : 'progress-count'}
      data-testid="progress-count"
    >
      {t('progress.count', { scored, eligible })}
    </div>
  );
}

export function SpeakerView(props: ModeProps) {
  const { state, t, offsetRef } = props;
  const c = state.current;
  const next = state.upNext[0];
  const nextLine = next ? (
    <div className="speaker-next">{t('speaker.next', { unit: next.unitName })}</div>
  ) : null;
  if (!c) {
    return (
      <Waiting mode="speaker" state={state} noteTestId="speaker-none" note={t('speaker.noCurrent')}>
        {nextLine}
      </Waiting>
    );
  }
  return (
    <section className="mode mode-speaker" data-testid="mode-speaker">
      <div className="speaker-track" data-testid="speaker-track">
        {t('speaker.position', { track: c.trackName, n: c.position })}
      </div>
      <h1 className="speaker-unit" style={fitStyle(c.unitName, 90, 9, 4)} data-testid="speaker-unit">
        {c.unitName}
      </h1>
      <StageTimer timer={c.timer} offsetRef={offsetRef} t={t} />
      <footer className="speaker-footer">
        <ProgressCount state={state} t={t} big={false} />
        {nextLine}
      </footer>
    </section>
  );
}

export function ProgressView({ state, t }: ModeProps) {
  const c = state.current;
  if (!c) {
    return (
      <section className="mode mode-progress" data-testid="mode-progress">
        <h1 className="header-title">{t('progress.heading')}</h1>
        <div className="waiting-note">{t('progress.noCurrent')}</div>
      </section>
    );
  }
  const { scored, eligible } = c.progress;
  const share = eligible > 0 ? Math.min(1, scored / eligible) : 0;
  return (
    <section className="mode mode-progress" data-testid="mode-progress">
      <div className="speaker-track">{t('speaker.position', { track: c.trackName, n: c.position })}</div>
      <h1 className="speaker-unit" style={fitStyle(c.unitName, 90, 7, 3.5)}>
        {c.unitName}
      </h1>
      {c.state === 'pending' ? (
        <div className="waiting-note" data-testid="progress-state">
          {t('progress.waiting')}
        </div>
      ) : (
        <>
          <ProgressCount state={state} t={t} big />
          <div
            className="progress-bar"
            role="progressbar"
            aria-valuemin={0}
            aria-valuemax={eligible}
            aria-valuenow={scored}
          >
            <div className="progress-fill" style={{ width: `${(share * 100).toFixed(1)}%` }} />
          </div>
          <div className="progress-state" data-testid="progress-state">
            {t(c.state === 'open' ? 'progress.open' : 'progress.closed')}
          </div>
        </>
      )}
    </section>
  );
}

export function RevealView({ state, t, locale }: ModeProps) {
  const reveal = state.reveal;
  if (!reveal) {
    return <Waiting mode="reveal" state={state} noteTestId="reveal-waiting" note={t('reveal.waiting')} />;
  }
  return (
    <section className="mode mode-reveal" data-testid="mode-reveal">
      <header className="mode-header">
        <div className="header-event">{state.event.title}</div>
        <h1 className="header-title" data-testid="reveal-title">
          {t('reveal.heading', { track: reveal.trackName })}
        </h1>
        {reveal.shown < reveal.total ? (
          // Revealed step by step from the last place up: how many are still to come.
          <div className="reveal-remaining" data-testid="reveal-remaining">
            {t('reveal.remaining', { count: reveal.total - reveal.shown })}
          </div>
        ) : null}
      </header>
      {reveal.rows.length === 0 ? (
        <p className="waiting-note" data-testid="reveal-waiting">
          {t('reveal.waiting')}
        </p>
      ) : (
        <Fallback fallback={<RevealList reveal={reveal} t={t} locale={locale} />}>
          <Suspense fallback={<div className="reveal-chart" />}>
            <RevealChart reveal={reveal} t={t} locale={locale} theme={state.theme} />
          </Suspense>
        </Fallback>
      )}
    </section>
  );
}

/** The ranking without ECharts: what the hall sees if the chart cannot be loaded. */
function RevealList({ reveal, t, locale }: { reveal: Reveal; t: T; locale: ScreenLocale }) {
  const rows = rankedRows(reveal.rows);
  const decimals = reveal.decimals;
  const max = Math.max(1, ...rows.map((r) => r.score ?? 0));
  return (
    <ol className="reveal-list" style={{ fontSize: u(Math.min(2.4, 38 / Math.max(1, rows.length) / 1.95)) }}>
      {rows.map((r) => (
        <li
          key={`${r.rank}-${r.unitName}`}
          className={isTopThree(r) ? 'reveal-item is-top' : 'reveal-item'}
          data-testid="reveal-row"
          data-rank={r.rank ?? ''}
          data-score={r.score ?? ''}
        >
          <span className="reveal-rank">{r.rank ?? t('reveal.unranked')}</span>
          <span className="reveal-unit">{r.unitName}</span>
          <span className="reveal-bar">
            <span style={{ width: `${(((r.score ?? 0) / max) * 100).toFixed(1)}%` }} />
          </span>
          <span className="reveal-score">
            {r.score === null ? t('reveal.noScore') : t('reveal.score', { score: r.score.toFixed(decimals) })}
            {gradeLabel(r, locale) ? <span className="reveal-grade">{gradeLabel(r, locale)}</span> : null}
            {r.quorumMet ? null : (
              <span className="reveal-quorum" data-testid="reveal-below-quorum">
                {t('reveal.belowQuorum')}
              </span>
            )}
            {r.penalty > 0 ? (
              <span className="reveal-penalty">{t('reveal.penalty', { penalty: r.penalty })}</span>
            ) : null}
          </span>
        </li>
      ))}
    </ol>
  );
}
