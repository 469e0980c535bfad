// Below the score form: what the unit on stage shows in its approved showcase report — its slides'
// titles and the required indicators with their frozen numbers and lights — so a judge scores what was
// shown, on the phone, without looking up at the screen. Small, fetched once per unit; on a network
// failure it is simply not shown (the score form never waits for it).
import { useEffect, useState } from 'react';
import type { JudgeSlotView } from '../../src/modules/event/schemas.ts';
import type { ReportOutline } from '../../src/modules/reports/schemas.ts';
import { fetchOutline } from './api.ts';
import type { JudgeLocale, T } from './i18n.ts';

const outlines = new Map<string, ReportOutline | null>();

const number = (n: number, locale: JudgeLocale) => n.toLocaleString(locale, { maximumFractionDigits: 2 });

export function Outline({
  eventId,
  slot,
  t,
  locale,
}: {
  eventId: string;
  slot: JudgeSlotView;
  t: T;
  locale: JudgeLocale;
}) {
  const key = `${eventId}/${slot.unitId}`;
  const [outline, setOutline] = useState<ReportOutline | null>(() => outlines.get(key) ?? null);
  useEffect(() => {
    if (!slot.unitId) return;
    const known = outlines.get(key);
    if (known !== undefined) {
      setOutline(known);
      return;
    }
    let cancelled = false;
    void fetchOutline(eventId, slot.unitId, locale).then((res) => {
      if (res.kind === 'ok') outlines.set(key, res.body);
      else if (res.kind === 'error' && res.status < 500) outlines.set(key, null);
      if (!cancelled) setOutline(res.kind === 'ok' ? res.body : null);
    });
    return () => {
      cancelled = true;
    };
  }, [eventId, slot.unitId, key, locale]);
  if (!outline) return null;
  return (
    <section className="outline" data-testid="report-outline">
      <h2 className="outline-title">{t('outline.title')}</h2>
      {outline.titles.length > 0 ? (
        <ol className="outline-slides" data-testid="outline-slides">
          {outline.titles.map((title) => (
            <li key={title}>{title}</li>
          ))}
        </ol>
      ) : null}
      {outline.indicators.length > 0 ? (
        <>
          <h3 className="outline-sub">{t('outline.indicators')}</h3>
          <ul className="outline-indicators">
            {outline.indicators.map((f) => (
              <li key={f.name} data-testid="outline-indicator" data-light={f.light}>
                <span className={`light light-${f.light}`} aria-hidden="true" />
                <span className="outline-name">{f.name}</span>
                <span className="outline-figures">
                  {t('outline.figures', {
                    actual: f.actual === null ? '—' : number(f.actual, locale),
                    target: number(f.target, locale),
                    measure: f.measure,
                  })}
                  {f.completionPct === null
                    ? ''
                    : ` · ${t('outline.completion', { pct: number(f.completionPct, locale), expected: number(f.expectedPct, locale) })}`}
                  {f.ranking
                    ? ` · ${t('outline.ranking', { from: f.ranking.from ?? '—', to: f.ranking.to })}`
                    : ''}
                </span>
                <span className="visually-hidden">{t(`outline.lights.${f.light}`)}</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
