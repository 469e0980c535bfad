// What a signed-in judge sees: the open unit with its rubric, or the waiting room with the agenda,
// and above both the one banner that says plainly where their scores are.
import { type ReactNode, useState } from 'react';
import type { JudgeSlotView, JudgeState } from '../../src/modules/event/schemas.ts';
import { formatNumber } from './decimal.ts';
import { draftKey, hasText, readDraft, writeDraft } from './drafts.ts';
import type { JudgeLocale, T } from './i18n.ts';
import { Outline } from './Outline.tsx';
import { type QueueSnapshot, type SubmissionQueue, slotStatus } from './queue.ts';
import { ScoreForm } from './ScoreForm.tsx';
import { pickTimer, type SlotWithTimer, StageTimer } from './StageTimer.tsx';

interface Props {
  state: JudgeState;
  queue: SubmissionQueue;
  snapshot: QueueSnapshot;
  storage: Storage | null;
  t: T;
  locale: JudgeLocale;
  connectionTrouble: boolean;
  /** Set when the state shown is the copy kept on the phone: when the server gave it. */
  offlineCopyOf: string | null;
  /** serverTime − phoneTime, from the live socket (0 until measured). */
  clockOffsetMs: number;
  languageButton: ReactNode;
}

/** What the status banner reads: where the scores are, and whether the state shown is fresh. */
type BannerProps = Pick<
  Props,
  'state' | 'queue' | 'snapshot' | 't' | 'locale' | 'connectionTrouble' | 'offlineCopyOf'
>;

export function Judging({ storage, clockOffsetMs, languageButton, ...banner }: Props) {
  const { state, queue, snapshot, t, locale } = banner;
  const [chosen, setChosen] = useState<string | null>(null);
  // Re-reads the drafts once the judge dismissed one.
  const [, setDismissed] = useState(0);
  const open = state.slots.filter((s) => s.state === 'open');
  const current = open.find((s) => s.id === chosen) ?? open[0] ?? null;
  const status = current ? slotStatus(current.id, snapshot, current.mine) : null;
  let sendState: 'sending' | 'waiting' | 'unauthorized' | null = null;
  if (status?.pending) {
    if (snapshot.lastFailure === 'unauthorized') sendState = 'unauthorized';
    else sendState = snapshot.lastFailure ? 'waiting' : 'sending';
  }
  const stage = pickTimer(state.slots as SlotWithTimer[], current?.id ?? null);

  return (
    <div className="page">
      <header className="topbar">
        <div className="topbar-text">
          <div className="event-title" data-testid="event-title">
            {state.event.title}
          </div>
          <div className="judge-name">
            {state.judge.name} · {state.judge.panelName}
          </div>
        </div>
        {languageButton}
      </header>
      {stage && (
        <StageTimer
          key={stage.slot.id}
          slot={stage.slot}
          timer={stage.timer}
          offsetMs={clockOffsetMs}
          shownSlotId={current?.id ?? null}
          t={t}
        />
      )}
      <StatusBanner {...banner} />
      <MissedBanners
        state={state}
        snapshot={snapshot}
        storage={storage}
        t={t}
        locale={locale}
        onDismiss={(slotId) => {
          writeDraft(storage, draftKey(state.judge.id, slotId), null);
          setDismissed((n) => n + 1);
        }}
      />
      {open.length > 1 && (
        <nav className="slot-tabs">
          {open.map((s) => (
            <button
              type="button"
              key={s.id}
              className={s.id === current?.id ? 'active' : ''}
              onClick={() => setChosen(s.id)}
            >
              {s.unitName}
            </button>
          ))}
        </nav>
      )}
      {current ? (
        <ScoreForm
          // A fresh form per unit: values typed for one unit never carry over to the next.
          key={current.id}
          slot={current}
          criteria={state.criteria}
          status={status ?? slotStatus(current.id, snapshot, current.mine)}
          sendState={sendState}
          judgeId={state.judge.id}
          queue={queue}
          storage={storage}
          t={t}
          locale={locale}
        />
      ) : (
        <section className="waiting-room" data-testid="waiting">
          <h1 className="waiting-title">
            {state.event.status === 'locked' ? t('eventLocked') : t('waitingTitle')}
          </h1>
        </section>
      )}
      {current ? (
        <Outline
          key={`outline-${current.id}`}
          eventId={state.event.id}
          slot={current}
          t={t}
          locale={locale}
        />
      ) : null}
      <Agenda
        slots={state.slots}
        snapshot={snapshot}
        t={t}
        currentId={current?.id ?? null}
        collapsed={current !== null}
      />
    </div>
  );
}

function StatusBanner({ state, queue, snapshot, t, locale, connectionTrouble, offlineCopyOf }: BannerProps) {
  const unitName = (slotId: string) => state.slots.find((s) => s.id === slotId)?.unitName ?? '';
  const items: ReactNode[] = [];
  const rejected = Object.values(snapshot.rejected).sort((a, b) => b.at.localeCompare(a.at));
  for (const r of rejected) {
    items.push(
      <div key={`r-${r.clientId}`} className="banner error" data-state="rejected">
        <strong>{t('status.rejected', { unit: unitName(r.slotId), total: r.localTotal })}</strong>
        <span>{r.message ?? t('status.rejectedFallback', { code: r.code })}</span>
        <button type="button" onClick={() => queue.dismissRejection(r.slotId)}>
          {t('dismiss')}
        </button>
      </div>,
    );
  }
  const last = snapshot.pending[snapshot.pending.length - 1];
  if (last) {
    if (snapshot.lastFailure === 'unauthorized') {
      items.push(
        <div key="p" className="banner warn" data-state="unauthorized">
          <strong>{t('status.unauthorized', { total: last.localTotal })}</strong>
        </div>,
      );
    } else if (snapshot.lastFailure !== null) {
      items.push(
        <div key="p" className="banner warn" data-state="waiting">
          <strong>{t('status.waitingNetwork')}</strong>
          <span>{t('status.waitingNetworkDetail', { total: last.localTotal })}</span>
        </div>,
      );
    } else {
      items.push(
        <div key="p" className="banner info" data-state="sending">
          <strong>{t('status.sending')}</strong>
        </div>,
      );
    }
  } else if (offlineCopyOf) {
    const d = new Date(offlineCopyOf);
    const time = Number.isNaN(d.getTime()) ? '' : d.toLocaleTimeString(locale, { hour12: false });
    items.push(
      <div key="o" className="banner muted" data-state="offline-copy">
        <strong>{t('status.offlineCopy')}</strong>
        <span>{t('status.offlineCopyDetail', { time })}</span>
      </div>,
    );
  } else if (connectionTrouble) {
    items.push(
      <div key="c" className="banner muted" data-state="reconnecting">
        {t('status.reconnecting')}
      </div>,
    );
  }
  if (!snapshot.persisted) {
    items.push(
      <div key="s" className="banner warn" data-state="storage">
        {t('status.storageUnavailable')}
      </div>,
    );
  }
  if (items.length === 0) return null;
  return (
    <div className="banners" data-testid="status-banner" role="status" aria-live="polite">
      {items}
    </div>
  );
}

/**
 * A unit whose scoring closed while the judge had typed scores and not sent them: said plainly, with
 * what was typed, until the judge dismisses it (the draft is then forgotten). A send refused as late
 * has its own banner (StatusBanner) and is not repeated here.
 */
function MissedBanners({
  state,
  snapshot,
  storage,
  t,
  locale,
  onDismiss,
}: Pick<Props, 'state' | 'snapshot' | 'storage' | 't' | 'locale'> & { onDismiss: (slotId: string) => void }) {
  const missed = state.slots.flatMap((s) => {
    if (s.state !== 'closed' || s.recused) return [];
    const st = slotStatus(s.id, snapshot, s.mine);
    if (st.confirmed || st.pending || st.rejected) return [];
    const typed = readDraft(storage, draftKey(state.judge.id, s.id));
    return hasText(typed) ? [{ slot: s, typed }] : [];
  });
  if (missed.length === 0) return null;
  return (
    <div className="banners" role="alert">
      {missed.map(({ slot, typed }) => (
        <div key={slot.id} className="banner error" data-state="missed" data-testid={`missed-${slot.id}`}>
          <strong>{t('status.closedUnsubmitted', { unit: slot.unitName })}</strong>
          <span>
            {t('status.closedUnsubmittedDetail', {
              values: state.criteria
                .filter((c) => typed[c.id]?.trim())
                .map((c) => `${locale === 'en-US' && c.nameEn ? c.nameEn : c.nameZh} ${typed[c.id]!.trim()}`)
                .join(' · '),
            })}
          </span>
          <button type="button" onClick={() => onDismiss(slot.id)} data-testid={`missed-dismiss-${slot.id}`}>
            {t('dismiss')}
          </button>
        </div>
      ))}
    </div>
  );
}

function mineLabel(
  slot: JudgeSlotView,
  snapshot: QueueSnapshot,
  t: T,
): { text: string; tone: string; state: string } | null {
  if (slot.recused) return { text: t('mine.recused'), tone: 'muted', state: 'recused' };
  const st = slotStatus(slot.id, snapshot, slot.mine);
  if (st.pending)
    return { text: t('mine.pending', { total: st.pending.localTotal }), tone: 'warn', state: 'pending' };
  if (st.rejected && !st.confirmed) return { text: t('mine.rejected'), tone: 'error', state: 'rejected' };
  if (st.confirmed)
    return {
      text: t('mine.confirmed', { total: formatNumber(st.confirmed.total) }),
      tone: 'ok',
      state: 'confirmed',
    };
  // Closed without a score from this judge: marked, so a missed unit is seen at a glance.
  if (slot.state === 'closed') return { text: t('mine.missed'), tone: 'error', state: 'missed' };
  return null;
}

function Agenda({
  slots,
  snapshot,
  t,
  currentId,
  collapsed,
}: {
  slots: JudgeSlotView[];
  snapshot: QueueSnapshot;
  t: T;
  currentId: string | null;
  collapsed: boolean;
}) {
  const nextUpId = slots.find((s) => s.state === 'pending')?.id;
  const list =
    slots.length === 0 ? (
      <p className="muted-text">{t('noSlots')}</p>
    ) : (
      <ol className="agenda-list">
        {slots.map((s) => {
          const mine = mineLabel(s, snapshot, t);
          return (
            <li
              key={s.id}
              className={`agenda-item ${s.state}${s.id === currentId ? ' current' : ''}`}
              data-testid={`agenda-${s.id}`}
            >
              <span className="agenda-pos">{s.position}</span>
              <span className="agenda-main">
                <span className="agenda-unit">{s.unitName}</span>
                <span className="agenda-sub">
                  {s.trackName} · {s.id === nextUpId ? t('nextUp') : t(`slotState.${s.state}`)}
                </span>
              </span>
              {mine && (
                <span className={`pill ${mine.tone}`} data-testid={`mine-${s.id}`} data-state={mine.state}>
                  {mine.text}
                </span>
              )}
            </li>
          );
        })}
      </ol>
    );
  if (collapsed) {
    return (
      <details className="agenda">
        <summary>{t('agenda')}</summary>
        {list}
      </details>
    );
  }
  return (
    <section className="agenda">
      <h2>{t('agenda')}</h2>
      {list}
    </section>
  );
}
