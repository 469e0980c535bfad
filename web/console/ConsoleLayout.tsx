// The admin frame: side menu by area, header with the user, role, language and sign-out.
import {
  ApartmentOutlined,
  BarChartOutlined,
  CalendarOutlined,
  DashboardOutlined,
  EditOutlined,
  FundOutlined,
  LogoutOutlined,
  OrderedListOutlined,
  SettingOutlined,
  SlidersOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { Button, Layout, Menu, type MenuProps, Space, Tag, Typography } from 'antd';
import { Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { isOrganizer, useAuth } from './auth.tsx';
import { LanguageSwitch } from './components/LanguageSwitch.tsx';
import { PageLoading } from './components/States.tsx';

export function ConsoleLayout() {
  const { t } = useTranslation();
  const { user, signOut } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [collapsed, setCollapsed] = useState(false);
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
  const selected =
    [...indicatorKeys, '/events', '/units', '/accounts', '/settings'].find((k) =>
      location.pathname.startsWith(k),
    ) ?? (location.pathname.startsWith('/indicators/') ? '/indicators/overview' : '/events');

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider collapsible collapsed={collapsed} onCollapse={setCollapsed} theme="dark" width={208}>
        <div
          style={{
            height: 56,
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'center',
            color: '#fff',
            fontSize: collapsed ? 16 : 20,
            fontWeight: 600,
            letterSpacing: 2,
          }}
        >
          {collapsed ? t('app.shortName') : t('app.name')}
        </div>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={[selected]}
          defaultOpenKeys={['ind', 'org']}
          items={items}
          onClick={(e) => navigate(e.key)}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: '#fff',
            padding: '0 24px',
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'flex-end',
            borderBottom: '1px solid #f0f0f0',
          }}
        >
          <Space size="middle">
            <LanguageSwitch />
            <Space size={6} data-testid="header-user">
              <UserOutlined />
              <Typography.Text>{user?.displayName}</Typography.Text>
              {user ? <Tag color="red">{t(`common:roles.${user.role}`)}</Tag> : null}
            </Space>
            <Button
              type="text"
              icon={<LogoutOutlined />}
              data-testid="sign-out"
              onClick={() => void signOut()}
            >
              {t('header.signOut')}
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ margin: 24 }}>
          <Suspense fallback={<PageLoading />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
