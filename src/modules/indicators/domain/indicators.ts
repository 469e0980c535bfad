// The indicator rules under one import: completion and 序时进度 (completion.ts), status lights (lights.ts),
// star grades (stars.ts), the assessment score (assessment.ts) and ranking changes (ranks.ts). Pure: no
// I/O, no clock (the caller passes `now`). Every rule is explained in docs/indicators.md; keep the two in
// step. This file stays because callers that use several rules at once (the light-rules, rankings and
// indicators services, the tests) import them from here; it re-exports only the rules' public surface,
// not the helpers the concern files share (exact.ts, the rank shares of ranks.ts).
export { assessmentScore, formulaMaxTerms, indicatorScore } from './assessment.ts';
export type { CompletionProblem, Direction, IndicatorDef, IndicatorKind, Plan } from './completion.ts';
export {
  completion,
  completionDisplayMax,
  completionProblem,
  expectedCompletion,
  expectedValue,
} from './completion.ts';
export { roundForDisplay } from './exact.ts';
export type {
  ActualStatus,
  Light,
  LightInput,
  LightReasonKey,
  LightResult,
  LightRules,
} from './lights.ts';
export {
  defaultLightRules,
  explainLight,
  lightReasonTemplates,
  lightRulesProblem,
  lightSeverity,
  statusLight,
} from './lights.ts';
export { unusualActual } from './plausibility.ts';
export { rankingChange } from './ranks.ts';
export type { StarBands, Stars } from './stars.ts';
export { starBandsProblem, starGrade } from './stars.ts';
