// 评委: judges with their panel and the units they are affiliated with (回避: they do not score those).
// Each judge signs in through a personal QR code; reissuing one makes the old code stop working.
import {
  PlusOutlined,
  PrinterOutlined,
  QrcodeOutlined,
  ReloadOutlined,
  StopOutlined,
} from '@ant-design/icons';
import { Alert, Button, Empty, Form, Input, Modal, Select, Space, Spin, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { UnitView } from '../../../src/modules/accounts/schemas.ts';
import type { InviteAddressView, InviteView, JudgeView } from '../../../src/modules/event/schemas.ts';
import { api } from '../../common/api.ts';
import { formatDateTime } from '../../common/format.ts';
import { Confirm } from '../components/Confirm.tsx';
import { CopyField } from '../components/Copy.tsx';
import { DownloadButton } from '../components/DownloadButton.tsx';
import { EditorDrawer } from '../components/EditorDrawer.tsx';
import { ExcelImportButton } from '../components/ExcelImport.tsx';
import { DeleteButton, EditButton } from '../components/RowButtons.tsx';
import { useTableScroll } from '../components/responsive.ts';
import { requiredText } from '../components/rules.ts';
import { LoadError } from '../components/States.tsx';
import { rowData } from '../components/testId.ts';
import { useAction, useLoad, validValues } from '../hooks.ts';
import { type EventTabProps, requireDetail } from './types.ts';

interface JudgeForm {
  name: string;
  title?: string;
  panelId: string;
  affiliatedUnitIds?: string[];
}

function QrDialog({
  eventId,
  judge,
  invite,
  loading,
  onClose,
  onIssue,
}: {
  eventId: string;
  judge: JudgeView | null;
  invite: InviteView | undefined;
  loading: boolean;
  onClose: () => void;
  onIssue: (j: JudgeView) => Promise<void>;
}) {
  const { t } = useTranslation();
  const [issuing, setIssuing] = useState(false);
  return (
    <Modal
      open={judge !== null}
      title={t('judges.qrTitle', { name: judge?.name ?? '' })}
      onCancel={onClose}
      footer={<Button onClick={onClose}>{t('actions.close')}</Button>}
      data-testid="qr-dialog"
    >
      {judge && invite?.url ? (
        <div style={{ textAlign: 'center' }} data-testid="qr-content">
          <img
            src={`/api/events/${eventId}/invites/${judge.id}/qr.svg?v=${encodeURIComponent(invite.createdAt)}`}
            alt={t('judges.qrAlt', { name: judge.name })}
            width={260}
            height={260}
            data-testid="qr-image"
            style={{ border: '1px solid #f0f0f0', padding: 8, background: '#fff' }}
          />
          <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
            {t('judges.qrHint')}
          </Typography.Paragraph>
          <CopyField
            value={invite.url}
            inputTestId="qr-url"
            buttonTestId="qr-copy"
            style={{ width: '100%' }}
          />
          <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
            {t('judges.issuedAt', { time: formatDateTime(invite.createdAt) })}
          </Typography.Paragraph>
        </div>
      ) : judge && loading ? (
        <div style={{ textAlign: 'center', padding: 24 }}>
          <Spin />
        </div>
      ) : judge ? (
        <Empty
          description={t(invite ? 'judges.reissueNeeded' : 'judges.noInvite')}
          data-testid={invite ? 'qr-reissue-needed' : 'qr-none'}
        >
          <Button
            type="primary"
            loading={issuing}
            data-testid="qr-issue"
            onClick={async () => {
              setIssuing(true);
              await onIssue(judge);
              setIssuing(false);
            }}
          >
            {t('judges.issue')}
          </Button>
        </Empty>
      ) : null}
    </Modal>
  );
}

export function JudgesTab({ eventId, detail, reload, readOnly }: EventTabProps) {
  const d = requireDetail(detail);
  const { t } = useTranslation();
  const tableScroll = useTableScroll();
  const units = useLoad(() => api.get<UnitView[]>('/api/units'), []);
  const invites = useLoad(
    () =>
      readOnly
        ? Promise.resolve([] as InviteView[])
        : api.get<InviteView[]>(`/api/events/${eventId}/invites`),
    [eventId, readOnly],
  );
  const address = useLoad(
    () =>
      readOnly ? Promise.resolve(null) : api.get<InviteAddressView>(`/api/events/${eventId}/invite-address`),
    [eventId, readOnly],
  );
  const [editing, setEditing] = useState<JudgeView | 'new' | null>(null);
  const [qrFor, setQrFor] = useState<JudgeView | null>(null);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<JudgeForm>();
  const act = useAction(form);
  const unitById = useMemo(() => new Map((units.data ?? []).map((u) => [u.id, u])), [units.data]);
  const panelById = useMemo(() => new Map(d.panels.map((p) => [p.id, p])), [d.panels]);
  const inviteByJudge = useMemo(
    () => new Map((invites.data ?? []).map((i) => [i.judgeId, i])),
    [invites.data],
  );
  const eventUnitIds = useMemo(() => new Set(d.slots.map((s) => s.unitId)), [d.slots]);

  const refresh = async () => {
    await Promise.all([reload(), invites.reload()]);
  };

  const open = (j: JudgeView | 'new') => {
    setEditing(j);
    form.resetFields();
    if (j === 'new') form.setFieldsValue({ panelId: d.panels[0]?.id, affiliatedUnitIds: [] });
    else
      form.setFieldsValue({
        name: j.name,
        title: j.title,
        panelId: j.panelId,
        affiliatedUnitIds: j.affiliatedUnitIds,
      });
  };

  const save = async () => {
    const v = await validValues(form);
    if (!v) return;
    const body = {
      name: v.name.trim(),
      title: (v.title ?? '').trim(),
      panelId: v.panelId,
      affiliatedUnitIds: v.affiliatedUnitIds ?? [],
    };
    setSaving(true);
    const ok = await act(
      () =>
        editing === 'new'
          ? api.post<JudgeView>(`/api/events/${eventId}/judges`, body)
          : api.patch<JudgeView>(`/api/events/${eventId}/judges/${(editing as JudgeView).id}`, body),
      t('actions.saved'),
    );
    setSaving(false);
    if (ok) {
      setEditing(null);
      await refresh();
    }
  };

  const issue = async (j: JudgeView) => {
    const inv = await act(
      () => api.post<InviteView>(`/api/events/${eventId}/judges/${j.id}/invite`),
      t('judges.issued'),
    );
    if (inv) {
      invites.setData((prev) => [...(prev ?? []).filter((x) => x.judgeId !== j.id), inv]);
      void reload();
    }
  };

  const revoke = async (j: JudgeView) => {
    const ok = await act(
      () => api.delete(`/api/events/${eventId}/judges/${j.id}/invite`),
      t('judges.revoked'),
    );
    if (ok !== undefined) await refresh();
  };

  const unitOptions = useMemo(() => {
    const all = units.data ?? [];
    // Units on this event's agenda first: those are the ones a recusal matters for.
    const sorted = [...all].sort((a, b) => Number(eventUnitIds.has(b.id)) - Number(eventUnitIds.has(a.id)));
    return sorted.map((u) => ({ value: u.id, label: u.name }));
  }, [units.data, eventUnitIds]);

  const a = address.data;
  return (
    <>
      {a ? (
        // What every printed code carries; a local-only address is an error no phone can open.
        <Alert
          type={a.localOnly ? 'error' : 'info'}
          showIcon
          data-testid="invite-address"
          data-local-only={a.localOnly ? 'true' : 'false'}
          title={
            a.localOnly
              ? t('judges.address.localOnly', { base: a.base })
              : t('judges.address.base', { base: a.base })
          }
          description={
            a.localOnly ? (
              <Space orientation="vertical" size={4}>
                <span>{t('judges.address.howTo')}</span>
                {a.networkBases.length > 0 ? (
                  a.networkBases.map((b) => (
                    <a
                      key={b}
                      href={`${b}${window.location.pathname}${window.location.search}`}
                      data-testid="invite-address-option"
                    >
                      {b}
                    </a>
                  ))
                ) : (
                  <span>{t('judges.address.noNetwork')}</span>
                )}
                <Typography.Text type="secondary">{t('judges.address.publicUrl')}</Typography.Text>
              </Space>
            ) : undefined
          }
          style={{ marginBottom: 16 }}
        />
      ) : null}
      {d.panels.length === 0 && !readOnly ? (
        <Alert type="info" showIcon title={t('judges.needPanels')} style={{ marginBottom: 16 }} />
      ) : null}
      {readOnly ? null : (
        <Space wrap style={{ marginBottom: 16 }}>
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => open('new')}
            disabled={d.panels.length === 0}
            data-testid="judges-create"
          >
            {t('judges.create')}
          </Button>
          <Button
            icon={<PrinterOutlined />}
            data-testid="judges-print"
            onClick={() => window.open(`/api/events/${eventId}/invites/print`, '_blank', 'noopener')}
          >
            {t('judges.print')}
          </Button>
          <ExcelImportButton
            path={`/api/events/${eventId}/judges/import`}
            testId="judges-import"
            onImported={() => void refresh()}
          />
          <DownloadButton
            path={`/api/events/${eventId}/judges/export.xlsx`}
            fileName="judges.xlsx"
            testId="judges-export"
          >
            {t('actions.export')}
          </DownloadButton>
        </Space>
      )}
      {invites.error ? <LoadError error={invites.error} onRetry={() => void invites.reload()} /> : null}
      <Table<JudgeView>
        scroll={tableScroll}
        rowKey="id"
        size="middle"
        dataSource={[...d.judges].sort((a, b) => a.sort - b.sort)}
        pagination={false}
        loading={units.loading}
        onRow={(j) => rowData({ 'data-testid': `judge-row-${j.name}` })}
        columns={[
          { title: '#', key: 'i', width: 50, render: (_v, _j, i) => i + 1 },
          {
            title: t('judges.name'),
            dataIndex: 'name',
            sorter: (a, b) => a.name.localeCompare(b.name, 'zh-CN'),
          },
          { title: t('judges.titleField'), dataIndex: 'title' },
          {
            title: t('judges.panel'),
            dataIndex: 'panelId',
            filters: d.panels.map((p) => ({ text: p.name, value: p.id })),
            onFilter: (v, j) => j.panelId === v,
            render: (id: string) => panelById.get(id)?.name ?? '—',
          },
          {
            title: t('judges.affiliations'),
            dataIndex: 'affiliatedUnitIds',
            render: (ids: string[]) =>
              ids.length === 0 ? (
                <Typography.Text type="secondary">—</Typography.Text>
              ) : (
                <Space size={[4, 4]} wrap>
                  {ids.map((id) => (
                    <Tag key={id} color="orange" data-testid="recusal-tag">
                      {t('judges.recusal', { unit: unitById.get(id)?.name ?? id })}
                    </Tag>
                  ))}
                </Space>
              ),
          },
          {
            title: t('judges.invite'),
            key: 'invite',
            render: (_v, j) =>
              j.inviteActive ? (
                <Tag color="green">{t('judges.inviteActive')}</Tag>
              ) : (
                <Tag>{t('judges.inviteNone')}</Tag>
              ),
          },
          ...(readOnly
            ? []
            : [
                {
                  title: t('actions.title'),
                  key: 'a',
                  width: 390,
                  render: (_v: unknown, j: JudgeView) => (
                    <Space size={0} wrap>
                      <Button
                        type="link"
                        size="small"
                        icon={<QrcodeOutlined />}
                        onClick={() => setQrFor(j)}
                        data-testid="judge-qr"
                      >
                        {t('judges.showQr')}
                      </Button>
                      <Confirm
                        title={j.inviteActive ? t('judges.reissueConfirm') : t('judges.issueConfirm')}
                        onConfirm={() => issue(j)}
                      >
                        <Button
                          type="link"
                          size="small"
                          icon={<ReloadOutlined />}
                          data-testid="judge-reissue"
                        >
                          {j.inviteActive ? t('judges.reissue') : t('judges.issue')}
                        </Button>
                      </Confirm>
                      {j.inviteActive ? (
                        <Confirm title={t('judges.revokeConfirm')} danger onConfirm={() => revoke(j)}>
                          <Button
                            type="link"
                            size="small"
                            danger
                            icon={<StopOutlined />}
                            data-testid="judge-revoke"
                          >
                            {t('judges.revoke')}
                          </Button>
                        </Confirm>
                      ) : null}
                      <EditButton testId="judge-edit" onClick={() => open(j)} />
                      <DeleteButton
                        path={`/api/events/${eventId}/judges/${j.id}`}
                        confirmTitle={t('judges.deleteConfirm', { name: j.name })}
                        testId="judge-delete"
                        onDeleted={refresh}
                      />
                    </Space>
                  ),
                },
              ]),
        ]}
      />
      <EditorDrawer
        open={editing !== null}
        title={editing === 'new' ? t('judges.create') : t('judges.edit')}
        size={480}
        saving={saving}
        saveTestId="judge-save"
        onClose={() => setEditing(null)}
        onSave={() => void save()}
      >
        <Form<JudgeForm> form={form} layout="vertical">
          <Form.Item name="name" label={t('judges.name')} rules={requiredText(t('form.required'), 200)}>
            <Input data-testid="judge-name" />
          </Form.Item>
          <Form.Item name="title" label={t('judges.titleField')} rules={[{ max: 200 }]}>
            <Input data-testid="judge-title" placeholder={t('judges.titlePlaceholder')} />
          </Form.Item>
          <Form.Item
            name="panelId"
            label={t('judges.panel')}
            rules={[{ required: true, message: t('form.required') }]}
          >
            <Select
              data-testid="judge-panel"
              options={d.panels.map((p) => ({ value: p.id, label: p.name }))}
            />
          </Form.Item>
          <Form.Item
            name="affiliatedUnitIds"
            label={t('judges.affiliations')}
            extra={t('judges.affiliationsHint')}
          >
            <Select
              mode="multiple"
              data-testid="judge-units"
              loading={units.loading}
              showSearch={{ optionFilterProp: 'label' }}
              options={unitOptions}
              notFoundContent={units.loading ? <Spin size="small" /> : undefined}
            />
          </Form.Item>
        </Form>
      </EditorDrawer>
      <QrDialog
        eventId={eventId}
        judge={qrFor}
        invite={qrFor ? inviteByJudge.get(qrFor.id) : undefined}
        loading={invites.loading}
        onClose={() => setQrFor(null)}
        onIssue={issue}
      />
    </>
  );
}
