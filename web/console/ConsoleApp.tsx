// The console shell: Ant Design theme and locale, routes (pages load on demand), the session guard.
import { App as AntApp, ConfigProvider, type ConfigProviderProps, Spin } from 'antd';
import enUSModule from 'antd/es/locale/en_US.js';
import zhCNModule from 'antd/es/locale/zh_CN.js';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { lazy, type ReactNode, Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import type { Role } from '../../src/kernel/schemas.ts';
import { AuthProvider, useAuth } from './auth.tsx';
import { ConsoleLayout } from './ConsoleLayout.tsx';
import { Forbidden, NotFound } from './components/States.tsx';
import './indicators/i18n.ts';
import './reports/i18n.ts';
import './supervision/i18n.ts';

type AntLocale = NonNullable<ConfigProviderProps['locale']>;
// TypeScript (nodenext) types antd's ES files as CommonJS; Vite loads the ES build, whose default export
// is the locale object itself.
const enUS = enUSModule as unknown as AntLocale;
const zhCN = zhCNModule as unknown as AntLocale;

const LoginPage = lazy(() => import('./accounts/Login.tsx').then((m) => ({ default: m.LoginPage })));
const ChangePasswordPage = lazy(() =>
  import('./accounts/ChangePassword.tsx').then((m) => ({ default: m.ChangePasswordPage })),
);
const EventsPage = lazy(() => import('./event/Events.tsx').then((m) => ({ default: m.EventsPage })));
const PresenterPage = lazy(() =>
  import('./reports/Presenter.tsx').then((m) => ({ default: m.PresenterPage })),
);
const EventPage = lazy(() => import('./event/EventPage.tsx').then((m) => ({ default: m.EventPage })));
const UnitsPage = lazy(() => import('./accounts/Units.tsx').then((m) => ({ default: m.UnitsPage })));
const AccountsPage = lazy(() => import('./accounts/Accounts.tsx').then((m) => ({ default: m.AccountsPage })));
const SettingsPage = lazy(() => import('./accounts/Settings.tsx').then((m) => ({ default: m.SettingsPage })));
const IndicatorOverviewPage = lazy(() =>
  import('./indicators/Overview.tsx').then((m) => ({ default: m.OverviewPage })),
);
const UnitDashboardPage = lazy(() =>
  import('./indicators/UnitDashboard.tsx').then((m) => ({ default: m.UnitDashboardPage })),
);
const IndicatorDashboardPage = lazy(() =>
  import('./indicators/IndicatorDashboard.tsx').then((m) => ({ default: m.IndicatorDashboardPage })),
);
const IndicatorManagePage = lazy(() =>
  import('./indicators/Manage.tsx').then((m) => ({ default: m.ManagePage })),
);
const ActualsPage = lazy(() => import('./indicators/Actuals.tsx').then((m) => ({ default: m.ActualsPage })));
const RankingsPage = lazy(() =>
  import('./indicators/Rankings.tsx').then((m) => ({ default: m.RankingsPage })),
);
const LightRulesPage = lazy(() => import('./indicators/Rules.tsx').then((m) => ({ default: m.RulesPage })));

const InboxPage = lazy(() => import('./supervision/Inbox.tsx').then((m) => ({ default: m.InboxPage })));
const TasksPage = lazy(() => import('./supervision/Tasks.tsx').then((m) => ({ default: m.TasksPage })));
const TaskPage = lazy(() => import('./supervision/TaskPage.tsx').then((m) => ({ default: m.TaskPage })));
const VisitsPage = lazy(() => import('./supervision/Visits.tsx').then((m) => ({ default: m.VisitsPage })));
const VisitPage = lazy(() => import('./supervision/VisitPage.tsx').then((m) => ({ default: m.VisitPage })));
const ProjectsPage = lazy(() =>
  import('./supervision/Projects.tsx').then((m) => ({ default: m.ProjectsPage })),
);
const ProjectPage = lazy(() =>
  import('./supervision/ProjectPage.tsx').then((m) => ({ default: m.ProjectPage })),
);
const SupervisionDashboardPage = lazy(() =>
  import('./supervision/Overview.tsx').then((m) => ({ default: m.SupervisionDashboardPage })),
);
const BulletinPage = lazy(() =>
  import('./supervision/Bulletin.tsx').then((m) => ({ default: m.BulletinPage })),
);
const ChannelsPage = lazy(() =>
  import('./supervision/Channels.tsx').then((m) => ({ default: m.ChannelsPage })),
);

const pageFallback = (
  <div style={{ padding: 48, textAlign: 'center' }}>
    <Spin />
  </div>
);

/** Signed-in users only; a pending password change comes before anything else. */
function RequireUser({ children }: { children: ReactNode }) {
  const { user, loading } = useAuth();
  const location = useLocation();
  if (loading) return pageFallback;
  if (!user) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  if (user.mustChangePassword) return <Navigate to="/change-password" replace />;
  return <>{children}</>;
}

function RequireRole({ roles, children }: { roles: Role[]; children: ReactNode }) {
  const { user } = useAuth();
  if (!user || !roles.includes(user.role)) return <Forbidden />;
  return <>{children}</>;
}

/** Where "/" leads: leaders to the indicator dashboard, reporters to their data entry, others to events. */
function Home() {
  const { user } = useAuth();
  const to =
    user?.role === 'leader'
      ? '/indicators/overview'
      : user?.role === 'reporter'
        ? '/indicators/actuals'
        : '/events';
  return <Navigate to={to} replace />;
}

function Localized({ children }: { children: ReactNode }) {
  const { t, i18n } = useTranslation();
  const zh = i18n.language !== 'en-US';
  useEffect(() => {
    dayjs.locale(zh ? 'zh-cn' : 'en');
    document.title = t('app.title');
  }, [zh, t]);
  return (
    <ConfigProvider locale={zh ? zhCN : enUS} theme={{ token: { colorPrimary: '#b71c1c', borderRadius: 6 } }}>
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

export function ConsoleApp() {
  return (
    <Localized>
      <BrowserRouter>
        <AuthProvider>
          <Suspense fallback={pageFallback}>
            <Routes>
              <Route path="/login" element={<LoginPage />} />
              <Route path="/change-password" element={<ChangePasswordPage />} />
              <Route
                path="/present/:eventId"
                element={
                  <RequireUser>
                    <RequireRole roles={['organizer']}>
                      <PresenterPage />
                    </RequireRole>
                  </RequireUser>
                }
              />
              <Route
                path="/"
                element={
                  <RequireUser>
                    <ConsoleLayout />
                  </RequireUser>
                }
              >
                <Route index element={<Home />} />
                <Route path="events" element={<EventsPage />} />
                <Route path="events/:eventId/:tab?" element={<EventPage />} />
                <Route
                  path="units"
                  element={
                    <RequireRole roles={['organizer']}>
                      <UnitsPage />
                    </RequireRole>
                  }
                />
                <Route
                  path="accounts"
                  element={
                    <RequireRole roles={['organizer']}>
                      <AccountsPage />
                    </RequireRole>
                  }
                />
                <Route path="settings" element={<SettingsPage />} />
                <Route path="indicators" element={<Navigate to="/indicators/overview" replace />} />
                <Route path="indicators/overview" element={<IndicatorOverviewPage />} />
                <Route path="indicators/units/:unitId" element={<UnitDashboardPage />} />
                <Route path="indicators/items/:indicatorId" element={<IndicatorDashboardPage />} />
                <Route
                  path="indicators/manage/:tab?"
                  element={
                    <RequireRole roles={['organizer', 'leader', 'observer']}>
                      <IndicatorManagePage />
                    </RequireRole>
                  }
                />
                <Route path="indicators/actuals" element={<ActualsPage />} />
                <Route path="indicators/rankings" element={<RankingsPage />} />
                <Route path="indicators/rules" element={<LightRulesPage />} />
                <Route path="supervision" element={<Navigate to="/supervision/inbox" replace />} />
                <Route path="supervision/inbox" element={<InboxPage />} />
                <Route path="supervision/tasks" element={<TasksPage />} />
                <Route path="supervision/tasks/:taskId" element={<TaskPage />} />
                <Route path="supervision/visits" element={<VisitsPage />} />
                <Route path="supervision/visits/:visitId" element={<VisitPage />} />
                <Route path="supervision/projects" element={<ProjectsPage />} />
                <Route path="supervision/projects/:projectId" element={<ProjectPage />} />
                <Route
                  path="supervision/dashboard"
                  element={
                    <RequireRole roles={['organizer', 'leader', 'observer']}>
                      <SupervisionDashboardPage />
                    </RequireRole>
                  }
                />
                <Route
                  path="supervision/bulletin"
                  element={
                    <RequireRole roles={['organizer', 'leader', 'observer']}>
                      <BulletinPage />
                    </RequireRole>
                  }
                />
                <Route
                  path="supervision/channels"
                  element={
                    <RequireRole roles={['organizer']}>
                      <ChannelsPage />
                    </RequireRole>
                  }
                />
                <Route path="*" element={<NotFound />} />
              </Route>
            </Routes>
          </Suspense>
        </AuthProvider>
      </BrowserRouter>
    </Localized>
  );
}
