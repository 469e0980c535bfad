// What stops a showcase report from being submitted: each rule, on the 东城街道 report.
import { describe, expect, it } from 'vitest';
import { submissionProblems } from '../../src/modules/reports/domain/report.ts';
import {
  defaultLimits,
  defaultTemplate,
  templateProblems,
} from '../../src/modules/reports/domain/template.ts';
import { dongchengReport } from '../support/report-fixtures.ts';

describe('submitting a showcase report', () => {
  const limits = defaultLimits;

  it('a complete report with every shortfall explained may be submitted', () => {
    const { content, required, facts } = dongchengReport();
    expect(submissionProblems(content, required, facts, limits)).toEqual([]);
  });

  it('a red or yellow required indicator must be explained with its cause and its measure', () => {
    const { content, required, facts } = dongchengReport();
    content.shortfalls = content.shortfalls.filter((s) => s.indicatorId !== 'i-proj');
    content.shortfalls[0]!.measure = '  ';
    expect(submissionProblems(content, required, facts, limits)).toEqual([
      { code: 'unexplainedShortfall', indicatorCode: 'DC-02', light: 'yellow' },
      { code: 'unexplainedShortfall', indicatorCode: 'DC-03', light: 'red' },
      { code: 'missingField', section: 'shortfalls', index: 0, field: 'measure' },
    ]);
    // An indicator that is not required, however red, is the unit's choice.
    expect(
      submissionProblems(
        content,
        required.filter((r) => r.indicatorId !== 'i-proj' && r.indicatorId !== 'i-rand'),
        facts,
        limits,
      ).filter((p) => p.code === 'unexplainedShortfall'),
    ).toEqual([]);
  });

  it('a value not reported in time (overdue) must be explained as well', () => {
    const { content, required, facts } = dongchengReport();
    facts[0]!.light = 'overdue';
    expect(submissionProblems(content, required, facts, limits)).toEqual([
      { code: 'unexplainedShortfall', indicatorCode: 'DC-01', light: 'overdue' },
    ]);
  });

  it('every required work item must be spoken to', () => {
    const { content, required, facts } = dongchengReport();
    content.workItems = [];
    expect(submissionProblems(content, required, facts, limits)).toEqual([
      { code: 'missingRequiredItem', title: '城市更新“拆改结合”' },
    ]);
  });

  it('each limit: characters of an item and a title, items of a section, photos of a slide, dates', () => {
    const { content, required, facts } = dongchengReport();
    content.highlights[0]!.text = '晒'.repeat(limits.maxCharsPerItem + 1);
    content.highlights[0]!.title = '比'.repeat(limits.maxTitleChars + 1);
    content.highlights[0]!.photoIds = ['a', 'b', 'c'];
    content.highlights.push(
      ...Array.from({ length: limits.maxHighlights }, () => ({
        title: '亮点',
        text: '内容',
        figures: [],
        photoIds: [],
      })),
    );
    content.nextSteps[0]!.due = '2023-13-40';
    content.nextSteps[0]!.owner = '';
    expect(submissionProblems(content, required, facts, limits)).toEqual([
      { code: 'tooManyItems', section: 'highlights', max: 3, count: 4 },
      { code: 'tooLong', section: 'highlights', index: 0, field: 'title', max: 24, length: 25 },
      { code: 'tooLong', section: 'highlights', index: 0, field: 'text', max: 150, length: 151 },
      { code: 'tooManyPhotos', index: 0, max: 2, count: 3 },
      { code: 'missingField', section: 'nextSteps', index: 0, field: 'owner' },
      { code: 'dueDateInvalid', index: 0 },
    ]);
  });

  it('a template keeps the cover first, the indicators and the shortfalls, and limits within bounds', () => {
    const t = defaultTemplate('永康市2023年上半年大晒拼');
    expect(templateProblems(t)).toEqual([]);
    expect(templateProblems({ ...t, sections: ['cover', 'indicators', 'highlights'] })).toEqual([
      { code: 'sectionsInvalid' },
    ]);
    expect(templateProblems({ ...t, limits: { ...t.limits, maxSlides: 1 } })).toEqual([
      { code: 'limitOutOfRange', limit: 'maxSlides', min: 3, max: 40 },
    ]);
    expect(templateProblems({ ...t, look: { ...t.look, primaryColor: 'red' } })).toEqual([
      { code: 'colorInvalid', field: 'primaryColor' },
    ]);
  });
});
