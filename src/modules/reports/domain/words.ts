// The deck's words and the problems' sentences in the reader's language: the domain speaks in codes.
// Given a translate function, so the server (its translator) and the console's live preview (i18next)
// say the same. The texts are in locales/*/reports.json.
import type { Problem } from './check.ts';
import type { DeckLabels } from './layout.ts';
import { sectionKinds } from './template.ts';

const NS = 'reports';

/** i18next's t, or the server's translator. */
export type Translate = (key: string, options?: Record<string, unknown>) => string;

export function deckLabels(t: Translate): DeckLabels {
  const k = (key: string, o?: Record<string, unknown>) => t(`${NS}:${key}`, o);
  const lights = ['green', 'yellow', 'red', 'grey', 'overdue'] as const;
  return {
    sections: Object.fromEntries(sectionKinds.map((s) => [s, k(`sections.${s}`)])) as DeckLabels['sections'],
    workItems: k('sections.workItems'),
    part: (n, of) => k('deck.part', { n, of }),
    page: (n, of) => k('deck.page', { n, of }),
    columns: {
      indicator: k('deck.columns.indicator'),
      target: k('deck.columns.target'),
      actual: k('deck.columns.actual'),
      completion: k('deck.columns.completion'),
      expected: k('deck.columns.expected'),
      light: k('deck.columns.light'),
      ranking: k('deck.columns.ranking'),
    },
    lights: Object.fromEntries(lights.map((l) => [l, k(`deck.lights.${l}`)])) as DeckLabels['lights'],
    series: { completion: k('deck.series.completion'), expected: k('deck.series.expected') },
    cause: k('deck.cause'),
    measure: k('deck.measure'),
    owner: k('deck.owner'),
    due: k('deck.due'),
    speaker: k('deck.speaker'),
    noValue: k('deck.noValue'),
  };
}

/** One sentence per problem, naming the section, the item (counted from 1) and the field. */
export function problemMessage(t: Translate, p: Problem): string {
  const section = (s: string) => t(`${NS}:sections.${s}`);
  const field = (f: string) => t(`${NS}:fields.${f.startsWith('figures.') ? 'figure' : f}`);
  const m = (o: Record<string, unknown>) => t(`${NS}:problems.${p.code}`, o);
  switch (p.code) {
    case 'unexplainedShortfall':
      return m({ indicatorCode: p.indicatorCode, light: t(`${NS}:lightNames.${p.light}`) });
    case 'missingRequiredItem':
      return m({ title: p.title });
    case 'missingField':
      return m({ section: section(p.section), n: p.index + 1, field: field(p.field) });
    case 'tooLong':
      return m({
        section: section(p.section),
        n: p.index + 1,
        field: field(p.field),
        max: p.max,
        length: p.length,
      });
    case 'tooManyItems':
      return m({ section: section(p.section), max: p.max, count: p.count });
    case 'tooManyPhotos':
      return m({ n: p.index + 1, max: p.max, count: p.count });
    case 'dueDateInvalid':
      return m({ n: p.index + 1 });
    case 'doesNotFit':
      return m({ section: section(p.section), n: p.index + 1 });
    case 'tooManySlides':
      return m({ slides: p.slides, max: p.max });
    case 'noPeriod':
      return m({});
  }
}
