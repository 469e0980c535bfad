// One unit's rubric: a row per criterion with large − / + steppers and a decimal field, the running
// total and the submit button always in reach of the thumb, and the confirmation the judge waits for.
import { useEffect, useRef, useState } from 'react';
import type { CriterionView, JudgeSlotView } from '../../src/modules/event/schemas.ts';
import {
  checkValue,
  formatNumber,
  formatScaled,
  fromNumber,
  type Scaled,
  stepValue,
  sumScaled,
} from './decimal.ts';
import { draftKey, readDraft, type Texts, writeDraft } from './drafts.ts';
import type { JudgeLocale, T } from './i18n.ts';
import type { SlotSubmissionStatus, SubmissionQueue } from './queue.ts';

interface Props {
  slot: JudgeSlotView;
  criteria: CriterionView[];
  status: SlotSubmissionStatus;
  /** How this unit's pending submission is doing, shown beside the total where the thumb is. */
  sendState: 'sending' | 'waiting' | 'unauthorized' | null;
  judgeId: string;
  queue: SubmissionQueue;
  storage: Storage | null;
  t: T;
  locale: JudgeLocale;
}

function textsOf(criteria: CriterionView[], values: Record<string, number> | undefined): Texts {
  const out: Texts = {};
  for (const c of criteria) {
    const v = values?.[c.id];
    out[c.id] = typeof v === 'number' && Number.isFinite(v) ? formatNumber(v) : '';
  }
  return out;
}

function sameValues(
  criteria: CriterionView[],
  a: Record<string, number>,
  b: Record<string, number> | undefined,
): boolean {
  if (!b) return false;
  return criteria.every((c) => {
    const x = a[c.id];
    const y = b[c.id];
    return x !== undefined && y !== undefined && formatNumber(x) === formatNumber(y);
  });
}

function formatTime(iso: string, locale: JudgeLocale): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleTimeString(locale, { hour12: false });
}

export function ScoreForm({ slot, criteria, status, sendState, judgeId, queue, storage, t, locale }: Props) {
  const key = draftKey(judgeId, slot.id);
  // What the judge last typed for this unit (survives a reload), else what is on its way or on
  // record, so a revision starts from the submitted values instead of from blank.
  const [texts, setTexts] = useState<Texts>(() => ({
    ...textsOf(criteria, status.pending?.values ?? status.confirmed?.values),
    ...readDraft(storage, key),
  }));
  const [showAll, setShowAll] = useState(false);
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const inputs = useRef<Record<string, HTMLInputElement | null>>({});

  // A new unit starts at its name, wherever the judge had scrolled to on the previous one.
  useEffect(() => {
    window.scrollTo(0, 0);
  }, []);

  useEffect(() => {
    if (slot.recused) return;
    writeDraft(storage, key, texts);
  }, [storage, key, texts, slot.recused]);

  const checks = criteria.map((c) => ({ c, check: checkValue(texts[c.id] ?? '', c.maxPoints, c.step) }));
  const valid: Scaled[] = [];
  const values: Record<string, number> = {};
  for (const { c, check } of checks) {
    if (check.ok) {
      valid.push(check.exact);
      values[c.id] = check.value;
    }
  }
  const complete = valid.length === criteria.length;
  const total = formatScaled(sumScaled(valid));
  const maxTotal = formatScaled(sumScaled(criteria.map((c) => fromNumber(c.maxPoints))));
  const reference = status.pending?.values ?? status.confirmed?.values;
  const unchanged = complete && sameValues(criteria, values, reference);

  const setText = (id: string, text: string) => setTexts((prev) => ({ ...prev, [id]: text }));
  /** What the judge typed or stepped to: a field once edited shows its issue without waiting for submit. */
  const edit = (id: string, text: string) => {
    setText(id, text);
    setTouched((p) => ({ ...p, [id]: true }));
  };

  const submit = () => {
    if (!complete) {
      setShowAll(true);
      const firstBad = checks.find((x) => !x.check.ok);
      if (firstBad) inputs.current[firstBad.c.id]?.focus();
      return;
    }
    queue.submit(slot.id, values, total);
    setShowAll(false);
  };

  const header = (
    <div className="unit-head">
      <div className="unit-meta">
        {slot.trackName} · {t('position', { n: slot.position })}
      </div>
      <h1 className="unit-name" data-testid="unit-name">
        {slot.unitName}
      </h1>
    </div>
  );

  if (slot.recused) {
    return (
      <section className="slot">
        {header}
        <div className="recusal" data-testid="recusal-notice">
          {t('recused')}
        </div>
      </section>
    );
  }

  let buttonLabel = t('submit');
  if (unchanged) buttonLabel = status.pending ? t('alreadyQueued') : t('alreadySubmitted');
  else if (status.confirmed || status.pending) buttonLabel = t('submitRevision');

  return (
    <section className="slot">
      {header}
      {status.confirmed && (
        <div className="confirmation" data-testid="confirmation">
          <div className="confirmation-main">
            {t('confirmed', { total: formatNumber(status.confirmed.total) })}
          </div>
          <div className="confirmation-meta">
            {t('confirmedMeta', {
              version: status.confirmed.version,
              time: formatTime(status.confirmed.createdAt, locale),
            })}
          </div>
          <div className="confirmation-hint">{t('reviseHint')}</div>
        </div>
      )}
      <ol className="criteria">
        {checks.map(({ c, check }, index) => {
          const text = texts[c.id] ?? '';
          const name = locale === 'en-US' && c.nameEn ? c.nameEn : c.nameZh;
          const showIssue = !check.ok && (showAll || (touched[c.id] && check.issue !== 'empty'));
          const step = formatNumber(c.step);
          const max = formatNumber(c.maxPoints);
          const atTop = text !== '' && stepValue(text, c.maxPoints, c.step, 1) === text;
          const atZero = check.ok && check.value === 0;
          // The − and + beside the field differ only in their direction.
          const stepButton = (dir: -1 | 1) => (
            <button
              type="button"
              className="step-btn"
              data-testid={`${dir < 0 ? 'minus' : 'plus'}-${c.id}`}
              aria-label={t(dir < 0 ? 'decrease' : 'increase', { name, step })}
              disabled={dir < 0 ? atZero : atTop}
              onClick={() => edit(c.id, stepValue(text, c.maxPoints, c.step, dir))}
            >
              {dir < 0 ? '−' : '+'}
            </button>
          );
          return (
            <li
              key={c.id}
              className={`criterion${showIssue ? ' invalid' : ''}`}
              data-testid={`criterion-${c.id}`}
            >
              <div className="criterion-head">
                <label className="criterion-name" htmlFor={`v-${c.id}`}>
                  {name}
                </label>
                <span className="criterion-max">
                  {t('max', { max })} · {t('step', { step })}
                </span>
              </div>
              <div className="stepper">
                {stepButton(-1)}
                <input
                  id={`v-${c.id}`}
                  ref={(el) => {
                    inputs.current[c.id] = el;
                  }}
                  className="value-input"
                  data-testid={`input-${c.id}`}
                  type="text"
                  inputMode="decimal"
                  autoComplete="off"
                  enterKeyHint={index === checks.length - 1 ? 'done' : 'next'}
                  value={text}
                  aria-invalid={showIssue}
                  onChange={(e) => edit(c.id, e.target.value)}
                  onBlur={() => {
                    // Tidy what was typed ("08.50" → "8.5") once it is a valid value.
                    if (check.ok) setText(c.id, formatNumber(check.value));
                  }}
                  onKeyDown={(e) => {
                    if (e.key !== 'Enter') return;
                    e.preventDefault();
                    const next = checks[index + 1];
                    if (next) inputs.current[next.c.id]?.focus();
                    else e.currentTarget.blur();
                  }}
                />
                {stepButton(1)}
              </div>
              {showIssue && !check.ok && (
                <div className="criterion-issue" data-testid={`issue-${c.id}`}>
                  {t(`issue.${check.issue}`, { max, step })}
                </div>
              )}
            </li>
          );
        })}
      </ol>
      <div className="bottom-bar">
        {sendState && (
          <div className={`bar-status ${sendState}`} data-testid="bar-status" data-state={sendState}>
            {t(`bar.${sendState}`)}
          </div>
        )}
        <div className="bar-row">
          <div className="total-box">
            <div className="total-label">
              {t('total')}
              {!complete && (
                <span className="filled"> · {t('filled', { done: valid.length, all: criteria.length })}</span>
              )}
            </div>
            <div className="total-value">
              <span data-testid="total">{total}</span>
              <span className="total-max"> {t('outOf', { max: maxTotal })}</span>
            </div>
            {showAll && !complete && <div className="total-issue">{t('fixErrors')}</div>}
          </div>
          <button type="button" className="submit" data-testid="submit" disabled={unchanged} onClick={submit}>
            {buttonLabel}
          </button>
        </div>
      </div>
    </section>
  );
}
