// Shared pieces of the supervision pages: the namespace, the message types, tags for lights, states and
// statuses, and the units and leaders the forms pick from.
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { UnitView } from '../../../src/modules/accounts/schemas.ts';
import type {
  bulletinView,
  dashboardView,
  EvidencePhoto,
  InboxItem,
  ProjectDetail,
  ProjectSummary,
  TaskDetail,
  TaskSummary,
  VisitDetail,
  visitSummary,
} from '../../../src/modules/supervision/schemas.ts';
import { api } from '../../common/api.ts';
import { useAuth } from '../auth.tsx';
import { useLoad } from '../hooks.ts';

export const NS = 'supervision-web';

export type VisitSummary = z.infer<typeof visitSummary>;
export type DashboardView = z.infer<typeof dashboardView>;
export type BulletinView = z.infer<typeof bulletinView>;
export type { EvidencePhoto, InboxItem, ProjectDetail, ProjectSummary, TaskDetail, TaskSummary, VisitDetail };

export const lightColor = { green: 'success', yellow: 'warning', red: 'error', closed: 'default' } as const;
export const lightHex = { green: '#389e0d', yellow: '#d48806', red: '#cf1322', closed: '#8c8c8c' } as const;
const statusColor = {
  not_started: 'default',
  on_track: 'success',
  at_risk: 'warning',
  overdue: 'error',
  done: 'blue',
} as const;
const stateColor = {
  issued: 'blue',
  accepted: 'cyan',
  in_progress: 'processing',
  extension_requested: 'purple',
  submitted: 'gold',
  closed: 'default',
} as const;

export function LightTag({ light, testId }: { light: keyof typeof lightColor; testId?: string }) {
  const { t } = useTranslation(NS);
  return (
    <Tag color={lightColor[light]} data-testid={testId} data-light={light}>
      {t(`light.${light}`)}
    </Tag>
  );
}

export function StateTag({ state }: { state: keyof typeof stateColor }) {
  const { t } = useTranslation(NS);
  return (
    <Tag color={stateColor[state]} data-state={state}>
      {t(`state.${state}`)}
    </Tag>
  );
}

export function StatusTag({ status }: { status: keyof typeof statusColor }) {
  const { t } = useTranslation(NS);
  return (
    <Tag color={statusColor[status]} data-status={status}>
      {t(`projectStatus.${status}`)}
    </Tag>
  );
}

/** "剩 3 天" / "逾期 2 天" for an open task. */
export function DaysText({ task }: { task: Pick<TaskSummary, 'state' | 'daysLeft' | 'overdueDays'> }) {
  const { t } = useTranslation(NS);
  if (task.state === 'closed') return null;
  return task.overdueDays > 0 ? (
    <span style={{ color: lightHex.red }}>{t('task.overdueDays', { days: task.overdueDays })}</span>
  ) : (
    <span>{t('task.leftDays', { days: task.daysLeft })}</span>
  );
}

export const useUnitList = () => useLoad(() => api.get<UnitView[]>('/api/units'), []);

/** Leaders to pick as a visit's or task's issuer (the office only). */
export function useLeaders() {
  const { user } = useAuth();
  return useLoad(
    () =>
      user?.role === 'organizer'
        ? api.get<{ id: string; name: string }[]>('/api/supervision/leaders')
        : Promise.resolve([]),
    [user?.role],
  );
}

export const photoUrl = (id: string) => `/api/supervision/photos/${id}`;

/**
 * Where the office issues a task from another page (a red indicator, a unit's commitment in its
 * report): the tasks page opens its form with these filled in.
 */
export function newTaskLink(preset: {
  sourceKind: string;
  unitId: string;
  title: string;
  sourceText: string;
}): string {
  const q = new URLSearchParams({ new: '1', ...preset });
  return `/supervision/tasks?${q.toString()}`;
}
