// 账号: console accounts. A new or reset password is shown once; disabling is confirmed first.
import { CheckCircleOutlined, KeyOutlined, PlusOutlined, StopOutlined } from '@ant-design/icons';
import { Button, Card, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role } from '../../../src/kernel/schemas.ts';
import type { UnitView, UserView } from '../../../src/modules/accounts/schemas.ts';
import { api } from '../../common/api.ts';
import { useAuth } from '../auth.tsx';
import { Confirm } from '../components/Confirm.tsx';
import { FilterBar, SearchBox } from '../components/Filters.tsx';
import { FormModal } from '../components/FormModal.tsx';
import { OneTimePasswordModal } from '../components/OneTimePassword.tsx';
import { EditButton } from '../components/RowButtons.tsx';
import { useTableScroll } from '../components/responsive.ts';
import { requiredText } from '../components/rules.ts';
import { LoadError } from '../components/States.tsx';
import { rowData } from '../components/testId.ts';
import { useAction, useLoad } from '../hooks.ts';

const roles: Role[] = ['organizer', 'leader', 'observer', 'reporter'];

interface AccountForm {
  username: string;
  displayName: string;
  role: Role;
  unitId?: string | null;
}

export function AccountsPage() {
  const { t } = useTranslation();
  const tableScroll = useTableScroll();
  const { user: me } = useAuth();
  const users = useLoad(() => api.get<UserView[]>('/api/users'), []);
  const units = useLoad(() => api.get<UnitView[]>('/api/units'), []);
  const unitById = useMemo(() => new Map((units.data ?? []).map((u) => [u.id, u])), [units.data]);
  const [editing, setEditing] = useState<UserView | 'new' | null>(null);
  const [otp, setOtp] = useState<{ username: string; password: string } | null>(null);
  const [search, setSearch] = useState('');
  const [form] = Form.useForm<AccountForm>();
  const act = useAction(form);
  const role = Form.useWatch('role', form);

  const rows = useMemo(() => {
    const q = search.trim().toLowerCase();
    const all = users.data ?? [];
    return q
      ? all.filter((u) => u.username.toLowerCase().includes(q) || u.displayName.toLowerCase().includes(q))
      : all;
  }, [users.data, search]);

  const open = (u: UserView | 'new') => {
    setEditing(u);
    form.resetFields();
    if (u === 'new') form.setFieldsValue({ role: 'organizer', unitId: null });
    else
      form.setFieldsValue({
        username: u.username,
        displayName: u.displayName,
        role: u.role,
        unitId: u.unitId,
      });
  };

  const save = async (v: AccountForm) => {
    const unitId = v.role === 'reporter' ? (v.unitId ?? null) : null;
    if (editing === 'new') {
      const r = await act(() =>
        api.post<{ user: UserView; oneTimePassword: string }>('/api/users', {
          username: v.username.trim(),
          displayName: v.displayName.trim(),
          role: v.role,
          unitId,
        }),
      );
      if (!r) return;
      setEditing(null);
      setOtp({ username: r.user.username, password: r.oneTimePassword });
    } else if (editing) {
      const r = await act(
        () =>
          api.patch(`/api/users/${editing.id}`, { displayName: v.displayName.trim(), role: v.role, unitId }),
        t('actions.saved'),
      );
      if (r === undefined) return;
      setEditing(null);
    }
    void users.reload();
  };

  const reset = async (u: UserView) => {
    const r = await act(() =>
      api.post<{ user: UserView; oneTimePassword: string }>(`/api/users/${u.id}/reset-password`),
    );
    if (r) {
      setOtp({ username: r.user.username, password: r.oneTimePassword });
      void users.reload();
    }
  };

  const setDisabled = async (u: UserView, disabled: boolean) => {
    const r = await act(() => api.patch(`/api/users/${u.id}`, { disabled }), t('actions.saved'));
    if (r !== undefined) void users.reload();
  };

  return (
    <Card>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('menu.accounts')}
      </Typography.Title>
      <FilterBar>
        <SearchBox placeholder={t('accounts.searchPlaceholder')} onSearch={setSearch} width={280} />
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => open('new')}
          data-testid="accounts-create"
        >
          {t('accounts.create')}
        </Button>
      </FilterBar>
      {users.error ? <LoadError error={users.error} onRetry={() => void users.reload()} /> : null}
      <Table<UserView>
        scroll={tableScroll}
        rowKey="id"
        loading={users.loading}
        dataSource={rows}
        pagination={{ pageSize: 20, showTotal: (n) => t('app.total', { count: n }) }}
        onRow={(u) => rowData({ 'data-testid': `account-row-${u.username}` })}
        columns={[
          {
            title: t('accounts.username'),
            dataIndex: 'username',
            sorter: (a, b) => a.username.localeCompare(b.username),
          },
          { title: t('accounts.displayName'), dataIndex: 'displayName' },
          {
            title: t('accounts.role'),
            dataIndex: 'role',
            filters: roles.map((r) => ({ text: t(`common:roles.${r}`), value: r })),
            onFilter: (v, u) => u.role === v,
            render: (r: Role) => t(`common:roles.${r}`),
          },
          {
            title: t('accounts.unit'),
            dataIndex: 'unitId',
            render: (id: string | null) => (id ? (unitById.get(id)?.name ?? id) : '—'),
          },
          {
            title: t('accounts.status'),
            key: 'status',
            render: (_v, u) => (
              <Space size={4}>
                {u.disabled ? (
                  <Tag color="default">{t('accounts.disabled')}</Tag>
                ) : (
                  <Tag color="green">{t('accounts.active')}</Tag>
                )}
                {u.mustChangePassword && !u.disabled ? (
                  <Tag color="orange">{t('accounts.mustChange')}</Tag>
                ) : null}
              </Space>
            ),
          },
          {
            title: t('actions.title'),
            key: 'a',
            width: 280,
            render: (_v, u) => (
              <Space size={0} wrap>
                <EditButton onClick={() => open(u)} />
                <Confirm title={t('accounts.resetConfirm', { name: u.username })} onConfirm={() => reset(u)}>
                  <Button type="link" size="small" icon={<KeyOutlined />} data-testid="account-reset">
                    {t('accounts.reset')}
                  </Button>
                </Confirm>
                {u.disabled ? (
                  <Confirm
                    title={t('accounts.enableConfirm', { name: u.username })}
                    onConfirm={() => setDisabled(u, false)}
                  >
                    <Button type="link" size="small" icon={<CheckCircleOutlined />}>
                      {t('accounts.enable')}
                    </Button>
                  </Confirm>
                ) : (
                  <Confirm
                    title={t('accounts.disableConfirm', { name: u.username })}
                    danger
                    onConfirm={() => setDisabled(u, true)}
                    disabled={u.id === me?.id}
                  >
                    <Button
                      type="link"
                      size="small"
                      danger
                      icon={<StopOutlined />}
                      disabled={u.id === me?.id}
                      data-testid="account-disable"
                    >
                      {t('accounts.disable')}
                    </Button>
                  </Confirm>
                )}
              </Space>
            ),
          },
        ]}
      />
      <FormModal
        form={form}
        open={editing !== null}
        title={editing === 'new' ? t('accounts.create') : t('accounts.edit')}
        onCancel={() => setEditing(null)}
        onSubmit={save}
        okTestId="account-save"
      >
        <Form.Item
          name="username"
          label={t('accounts.username')}
          extra={editing === 'new' ? t('accounts.usernameRule') : undefined}
          rules={[
            { required: true, message: t('form.required') },
            { pattern: /^[A-Za-z0-9_.-]{2,64}$/, message: t('accounts.usernameRule') },
          ]}
        >
          <Input disabled={editing !== 'new'} data-testid="account-username" />
        </Form.Item>
        <Form.Item
          name="displayName"
          label={t('accounts.displayName')}
          rules={requiredText(t('form.required'))}
        >
          <Input data-testid="account-display-name" />
        </Form.Item>
        <Form.Item name="role" label={t('accounts.role')} rules={[{ required: true }]}>
          <Select
            data-testid="account-role"
            options={roles.map((r) => ({ value: r, label: t(`common:roles.${r}`) }))}
          />
        </Form.Item>
        {role === 'reporter' ? (
          <Form.Item
            name="unitId"
            label={t('accounts.unit')}
            rules={[{ required: true, message: t('accounts.unitRequired') }]}
          >
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              data-testid="account-unit"
              options={(units.data ?? []).map((u) => ({ value: u.id, label: u.name }))}
            />
          </Form.Item>
        ) : null}
      </FormModal>
      <OneTimePasswordModal value={otp} onClose={() => setOtp(null)} />
    </Card>
  );
}
