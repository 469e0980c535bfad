// Everything that stops a report, checked the one way the server (on each read and at submission) and
// the console's live preview (on each keystroke) both use: the data period, the submission rules and
// whether the deck can be laid out within the template.
import { type LayoutInput, type LayoutProblem, type LayoutResult, layoutDeck } from './layout.ts';
import { type SubmissionProblem, submissionProblems } from './report.ts';

export type Problem = SubmissionProblem | LayoutProblem | { code: 'noPeriod' };

export function checkReport(input: LayoutInput & { periodKey: string | null }): {
  layout: LayoutResult;
  problems: Problem[];
} {
  const layout = layoutDeck(input);
  const problems: Problem[] = [
    ...(input.periodKey === null ? [{ code: 'noPeriod' as const }] : []),
    ...submissionProblems(input.content, input.required, input.facts, input.template.limits),
    ...(layout.ok ? [] : layout.problems),
  ];
  return { layout, problems };
}
