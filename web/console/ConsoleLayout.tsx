// The admin frame: side menu by area, header with the user, role, language and sign-out. On a phone
// (below antd's md breakpoint) the menu is a drawer opened from a header button, so it never covers
// the header or squeezes the page; on a tablet (below lg) the side menu starts collapsed to its icons.
import {
  ApartmentOutlined,
  AuditOutlined,
  BarChartOutlined,
  CalendarOutlined,
  DashboardOutlined,
  EditOutlined,
  EnvironmentOutlined,
  FileTextOutlined,
  FlagOutlined,
  FundOutlined,
  InboxOutlined,
  LogoutOutlined,
  MenuOutlined,
  OrderedListOutlined,
  ProjectOutlined,
  RobotOutlined,
  SettingOutlined,
  SlidersOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import {
  Badge,
  Button,
  ConfigProvider,
  Drawer,
  Layout,
  Menu,
  type MenuProps,
  Space,
  Tag,
  Typography,
} from 'antd';
import { Suspense, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { api } from '../common/api.ts';
import { isOrganizer, useAuth } from './auth.tsx';
import { LanguageSwitch } from './components/LanguageSwitch.tsx';
import { usePhone } from './components/responsive.ts';
import { PageLoading } from './components/States.tsx';

const phoneTheme = { components: { Card: { bodyPadding: 12, headerPadding: 12 } } };

export function ConsoleLayout() {
  const { t } = useTranslation();
  const { user, signOut } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [collapsed, setCollapsed] = useState(false);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const phone = usePhone();
  // The phone's menu closes on a menu click (below) and on the browser's back and forward buttons. Not on
  // a change of the router's location: that can arrive after the menu opened (a lazy page committing
  // the landing redirect) and would close it at once.
  useEffect(() => {
    const close = () => setDrawerOpen(false);
    window.addEventListener('popstate', close);
    return () => window.removeEventListener('popstate', close);
  }, []);
  const organizer = isOrganizer(user);
  const reporter = user?.role === 'reporter';
  const ownUnitPath = reporter && user?.unitId ? `/indicators/units/${user.unitId}` : null;
  // 指标: the dashboard for everyone; reporters also see their unit's page; management is for the
  // organizer and, read-only, leaders and observers.
  const indicatorItems = [
    {
      key: '/indicators/overview',
      icon: <DashboardOutlined />,
      label: t('indicators-web:menu.overview'),
      'data-testid': 'menu-ind-overview',
    },
    ...(ownUnitPath
      ? [
          {
            key: ownUnitPath,
            icon: <FundOutlined />,
            label: t('indicators-web:menu.myUnit'),
            'data-testid': 'menu-ind-my-unit',
          },
        ]
      : []),
    ...(reporter
      ? []
      : [
          {
            key: '/indicators/manage',
            icon: <BarChartOutlined />,
            label: t('indicators-web:menu.manage'),
            'data-testid': 'menu-ind-manage',
          },
        ]),
    {
      key: '/indicators/actuals',
      icon: <EditOutlined />,
      label: t('indicators-web:menu.actuals'),
      'data-testid': 'menu-ind-actuals',
    },
    {
      key: '/indicators/rankings',
      icon: <OrderedListOutlined />,
      label: t('indicators-web:menu.rankings'),
      'data-testid': 'menu-ind-rankings',
    },
    ...(reporter
      ? []
      : [
          {
            key: '/indicators/rules',
            icon: <SlidersOutlined />,
            label: t('indicators-web:menu.rules'),
            'data-testid': 'menu-ind-rules',
          },
        ]),
  ];

  const inboxCount = useInboxCount(location.pathname);
  const supervisionItems = [
    {
      key: '/supervision/inbox',
      icon: <InboxOutlined />,
      label: (
        <Space size={6}>
          {t('supervision-web:menu.inbox')}
          <Badge count={inboxCount} size="small" data-testid="menu-inbox-count" />
        </Space>
      ),
      'data-testid': 'menu-sv-inbox',
    },
    {
      key: '/supervision/tasks',
      icon: <FlagOutlined />,
      label: t('supervision-web:menu.tasks'),
      'data-testid': 'menu-sv-tasks',
    },
    {
      key: '/supervision/visits',
      icon: <EnvironmentOutlined />,
      label: t('supervision-web:menu.visits'),
      'data-testid': 'menu-sv-visits',
    },
    {
      key: '/supervision/projects',
      icon: <ProjectOutlined />,
      label: t('supervision-web:menu.projects'),
      'data-testid': 'menu-sv-projects',
    },
    ...(reporter
      ? []
      : [
          {
            key: '/supervision/dashboard',
            icon: <DashboardOutlined />,
            label: t('supervision-web:menu.dashboard'),
            'data-testid': 'menu-sv-dashboard',
          },
          {
            key: '/supervision/bulletin',
            icon: <FileTextOutlined />,
            label: t('supervision-web:menu.bulletin'),
            'data-testid': 'menu-sv-bulletin',
          },
        ]),
    ...(organizer
      ? [
          {
            key: '/supervision/channels',
            icon: <RobotOutlined />,
            label: t('supervision-web:menu.channels'),
            'data-testid': 'menu-sv-channels',
          },
        ]
      : []),
  ];
  const items: MenuProps['items'] = [
    {
      key: '/events',
      icon: <CalendarOutlined />,
      label: t('menu.events'),
      'data-testid': 'menu-events',
    } as never,
    {
      key: 'ind',
      icon: <FundOutlined />,
      label: t('indicators-web:menu.group'),
      children: indicatorItems,
    } as never,
    {
      key: 'sv',
      icon: <AuditOutlined />,
      label: t('supervision-web:menu.group'),
      children: supervisionItems,
    } as never,
    ...(organizer
      ? [
          {
            key: 'org',
            icon: <ApartmentOutlined />,
            label: t('menu.org'),
            children: [
              {
                key: '/units',
                icon: <ApartmentOutlined />,
                label: t('menu.units'),
                'data-testid': 'menu-units',
              },
              {
                key: '/accounts',
                icon: <TeamOutlined />,
                label: t('menu.accounts'),
                'data-testid': 'menu-accounts',
              },
            ],
          } as never,
        ]
      : []),
    {
      key: '/settings',
      icon: <SettingOutlined />,
      label: t('menu.settings'),
      'data-testid': 'menu-settings',
    } as never,
  ];
  const indicatorKeys = indicatorItems.map((i) => i.key);
  const supervisionKeys = supervisionItems.map((i) => i.key);
  const selected =
    [...indicatorKeys, ...supervisionKeys, '/events', '/units', '/accounts', '/settings'].find((k) =>
      location.pathname.startsWith(k),
    ) ?? (location.pathname.startsWith('/indicators/') ? '/indicators/overview' : '/events');

  const menu = (
    <Menu
      theme="dark"
      mode="inline"
      selectedKeys={[selected]}
      defaultOpenKeys={['ind', 'sv', 'org']}
      items={items}
      onClick={(e) => {
        setDrawerOpen(false);
        navigate(e.key);
      }}
    />
  );
  const brand = (short: boolean, size: number) => (
    <div
      style={{
        height: 56,
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
        color: '#fff',
        fontSize: size,
        fontWeight: 600,
        letterSpacing: 2,
        whiteSpace: 'nowrap',
      }}
    >
      {short ? t('app.shortName') : t('app.name')}
    </div>
  );

  return (
    <Layout style={{ minHeight: '100vh' }}>
      {phone ? (
        <Drawer
          placement="left"
          size={240}
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          closable={false}
          styles={{ body: { padding: 0, background: '#001529' }, header: { display: 'none' } }}
          footer={<LanguageSwitch />}
          data-testid="menu-drawer"
        >
          {brand(false, 20)}
          {menu}
        </Drawer>
      ) : (
        <Layout.Sider
          collapsible
          collapsed={collapsed}
          onCollapse={setCollapsed}
          breakpoint="lg"
          onBreakpoint={setCollapsed}
          theme="dark"
          width={208}
        >
          {brand(collapsed, collapsed ? 16 : 20)}
          {menu}
        </Layout.Sider>
      )}
      <Layout style={{ minWidth: 0 }}>
        <Layout.Header
          data-testid="console-header"
          style={{
            background: '#fff',
            padding: phone ? '0 12px' : '0 24px',
            display: 'flex',
            alignItems: 'center',
            justifyContent: phone ? 'space-between' : 'flex-end',
            gap: 8,
            borderBottom: '1px solid #f0f0f0',
          }}
        >
          {phone ? (
            <Space size={4} style={{ flex: 'none' }}>
              <Button
                type="text"
                icon={<MenuOutlined />}
                aria-label={t('header.openMenu')}
                aria-expanded={drawerOpen}
                data-testid="menu-toggle"
                onClick={() => setDrawerOpen(true)}
              />
              <Typography.Text strong style={{ fontSize: 17, whiteSpace: 'nowrap' }}>
                {t('app.name')}
              </Typography.Text>
            </Space>
          ) : null}
          <Space size={phone ? 8 : 'middle'} style={{ minWidth: 0 }}>
            {phone ? null : <LanguageSwitch />}
            <Space size={6} data-testid="header-user" style={{ minWidth: 0 }}>
              <UserOutlined />
              <Typography.Text ellipsis style={{ verticalAlign: 'middle', maxWidth: phone ? 84 : 240 }}>
                {user?.displayName}
              </Typography.Text>
              {user ? (
                <Tag color="red" style={{ marginInlineEnd: 0 }}>
                  {t(`common:roles.${user.role}`)}
                </Tag>
              ) : null}
            </Space>
            <Button
              type="text"
              icon={<LogoutOutlined />}
              data-testid="sign-out"
              aria-label={phone ? t('header.signOut') : undefined}
              onClick={() => void signOut()}
            >
              {phone ? null : t('header.signOut')}
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ margin: phone ? 12 : 24, minWidth: 0 }}>
          {/* On a phone cards keep less padding: the page's width goes to what they show. */}
          <ConfigProvider theme={phone ? phoneTheme : undefined}>
            <Suspense fallback={<PageLoading />}>
              <Outlet />
            </Suspense>
          </ConfigProvider>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}

/** What waits in the user's supervision inbox, for the menu's badge: read on each page change and every minute. */
function useInboxCount(path: string): number {
  const [count, setCount] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: read again on each page change
  useEffect(() => {
    let live = true;
    const read = () =>
      api
        .get<{ count: number }>('/api/supervision/inbox')
        .then((r) => live && setCount(r.count))
        .catch(() => {
          // The badge is a hint; the inbox page itself reports failures.
        });
    void read();
    const timer = setInterval(read, 60_000);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [path]);
  return count;
}
