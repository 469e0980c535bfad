// The office's form for one livelihood project: what is promised (outputs with targets), who leads and
// helps, the milestones with their dates and weights, and an optional manual progress with its reason.
// Progress and status are computed from what is entered here, never typed.
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Checkbox, Form, Input, InputNumber, Select, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { IndicatorView } from '../../../src/modules/indicators/schemas.ts';
import { REPORT_INTERVALS } from '../../../src/modules/supervision/domain/projects.ts';
import { LEVELS, type ProjectBody } from '../../../src/modules/supervision/schemas.ts';
import { api } from '../../common/api.ts';
import { DateItem } from '../components/DateItems.tsx';
import { FormModal } from '../components/FormModal.tsx';
import { useAction, useLoad } from '../hooks.ts';
import { NS, type ProjectDetail, useUnitList } from './common.tsx';

type Day = dayjs.Dayjs;
type ProjectForm = Omit<ProjectBody, 'startDate' | 'deadline' | 'milestones' | 'manualProgress'> & {
  startDate: Day;
  deadline: Day;
  milestones: (Omit<ProjectBody['milestones'][number], 'plannedDate' | 'doneDate'> & {
    plannedDate: Day;
    doneDate: Day | null;
  })[];
  manualPercent: number | null;
  manualReason: string;
};

const iso = (d: Day | null | undefined) => (d ? d.format('YYYY-MM-DD') : null);

export function ProjectFormModal({
  open,
  project,
  onClose,
  onSaved,
}: {
  open: boolean;
  project: ProjectDetail | null;
  onClose: () => void;
  onSaved: (p: ProjectDetail) => void;
}) {
  const { t } = useTranslation(NS);
  const [form] = Form.useForm<ProjectForm>();
  const act = useAction(form);
  const units = useUnitList();
  const indicators = useLoad(() => api.get<IndicatorView[]>('/api/indicators'), []);
  const unitOptions = (units.data ?? []).map((u) => ({ value: u.id, label: u.name }));
  // Filled as the dialog opens, before anyone can type.
  // biome-ignore lint/correctness/useExhaustiveDependencies: filled once per opening, from what it opened with
  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue(
      project
        ? {
            ...project,
            startDate: dayjs(project.startDate),
            deadline: dayjs(project.deadline),
            milestones: project.milestones.map((m) => ({
              ...m,
              plannedDate: dayjs(m.plannedDate),
              doneDate: m.doneDate ? dayjs(m.doneDate) : null,
            })),
            manualPercent: project.manualProgress ? Math.round(project.manualProgress.value * 100) : null,
            manualReason: project.manualProgress?.reason ?? '',
          }
        : {
            indicatorIds: [],
            year: dayjs().year(),
            level: 'municipal',
            reportInterval: 'monthly',
            coUnitIds: [],
            sites: [],
            outputs: [],
            milestones: [],
            manualPercent: null,
            manualReason: '',
          },
    );
  }, [open]);
  return (
    <FormModal
      form={form}
      open={open}
      width={760}
      title={project ? t('project.edit') : t('project.new')}
      okTestId="project-form-ok"
      destroyOnHidden
      onCancel={onClose}
      onSubmit={async (v) => {
        const body: ProjectBody = {
          ...v,
          indicatorIds: v.indicatorIds ?? [],
          startDate: iso(v.startDate) ?? '',
          deadline: iso(v.deadline) ?? '',
          milestones: (v.milestones ?? []).map((m, i) => ({
            ...(project?.milestones[i] && project.milestones[i]?.title === m.title
              ? { id: project.milestones[i]!.id }
              : {}),
            title: m.title,
            plannedDate: iso(m.plannedDate) ?? '',
            doneDate: iso(m.doneDate),
            weight: m.weight ?? 1,
            evidenceRequired: Boolean(m.evidenceRequired),
          })),
          outputs: (v.outputs ?? []).map((o) => ({
            ...o,
            unit: o.unit ?? '',
            actual: project?.outputs.find((x) => x.name === o.name)?.actual ?? 0,
          })),
          manualProgress:
            v.manualPercent === null || v.manualPercent === undefined
              ? null
              : { value: v.manualPercent / 100, reason: v.manualReason ?? '' },
        };
        const saved = await act(
          () =>
            project
              ? api.put<ProjectDetail>(`/api/supervision/projects/${project.id}`, body)
              : api.post<ProjectDetail>('/api/supervision/projects', body),
          t('project.saved'),
        );
        if (saved) onSaved(saved);
      }}
    >
      <Space wrap align="start">
        <Form.Item
          name="code"
          label={t('project.code')}
          rules={[{ required: true, whitespace: true, max: 40 }]}
        >
          <Input data-testid="project-form-code" style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="year" label={t('project.year')} rules={[{ required: true }]}>
          <InputNumber min={2000} max={2100} precision={0} />
        </Form.Item>
        <Form.Item name="level" label={t('project.level')}>
          <Select
            style={{ width: 120 }}
            options={LEVELS.map((l) => ({ value: l, label: t(`level.${l}`) }))}
          />
        </Form.Item>
        <Form.Item
          name="category"
          label={t('project.category')}
          rules={[{ required: true, whitespace: true, max: 60 }]}
        >
          <Input style={{ width: 160 }} data-testid="project-form-category" />
        </Form.Item>
      </Space>
      <Form.Item
        name="name"
        label={t('project.name')}
        rules={[{ required: true, whitespace: true, max: 200 }]}
      >
        <Input data-testid="project-form-name" />
      </Form.Item>
      <Form.Item name="content" label={t('project.content')} rules={[{ max: 2000 }]}>
        <Input.TextArea rows={2} />
      </Form.Item>
      <Form.Item name="leadUnitId" label={t('project.leadUnit')} rules={[{ required: true }]}>
        <Select
          showSearch={{ optionFilterProp: 'label' }}
          options={unitOptions}
          data-testid="project-form-lead"
        />
      </Form.Item>
      <Form.Item name="coUnitIds" label={t('project.coUnits')}>
        <Select mode="multiple" showSearch={{ optionFilterProp: 'label' }} options={unitOptions} />
      </Form.Item>
      <Space wrap align="start">
        <Form.Item name="contactLeader" label={t('project.contactLeader')} rules={[{ max: 60 }]}>
          <Input style={{ width: 160 }} />
        </Form.Item>
        <DateItem name="startDate" label={t('project.startDate')} required testId="project-form-start" />
        <DateItem name="deadline" label={t('project.deadline')} required testId="project-form-deadline" />
        <Form.Item name="reportInterval" label={t('project.interval')}>
          <Select
            style={{ width: 100 }}
            options={REPORT_INTERVALS.map((i) => ({ value: i, label: t(`cadence.${i}`) }))}
          />
        </Form.Item>
      </Space>
      <Form.Item name="indicatorIds" label={t('project.indicators')}>
        <Select
          mode="multiple"
          showSearch={{ optionFilterProp: 'label' }}
          options={(indicators.data ?? []).map((i) => ({ value: i.id, label: `${i.code} ${i.name}` }))}
        />
      </Form.Item>
      <Form.Item name="sites" label={t('project.sites')}>
        <Select mode="tags" open={false} />
      </Form.Item>
      <Typography.Text strong>{t('project.outputs')}</Typography.Text>
      <Form.List name="outputs">
        {(fields, { add, remove }) => (
          <div style={{ marginTop: 8 }}>
            {fields.map((f) => (
              <Space key={f.key} align="start" wrap>
                <Form.Item name={[f.name, 'name']} rules={[{ required: true, whitespace: true, max: 60 }]}>
                  <Input placeholder={t('project.outputName')} style={{ width: 180 }} />
                </Form.Item>
                <Form.Item name={[f.name, 'target']} rules={[{ required: true }]}>
                  <InputNumber min={0} max={1e9} placeholder={t('project.outputTarget')} />
                </Form.Item>
                <Form.Item name={[f.name, 'unit']} rules={[{ max: 20 }]}>
                  <Input placeholder={t('project.outputUnit')} style={{ width: 80 }} />
                </Form.Item>
                <Button
                  icon={<DeleteOutlined />}
                  onClick={() => remove(f.name)}
                  aria-label={t('console:actions.remove')}
                />
              </Space>
            ))}
            <Button
              type="dashed"
              icon={<PlusOutlined />}
              onClick={() => add({ name: '', target: 0, unit: '' })}
            >
              {t('project.addOutput')}
            </Button>
          </div>
        )}
      </Form.List>
      <Typography.Text strong style={{ display: 'block', marginTop: 16 }}>
        {t('project.milestones')}
      </Typography.Text>
      <Form.List name="milestones">
        {(fields, { add, remove }) => (
          <div style={{ marginTop: 8 }}>
            {fields.map((f, i) => (
              <Space key={f.key} align="start" wrap>
                <Form.Item name={[f.name, 'title']} rules={[{ required: true, whitespace: true, max: 200 }]}>
                  <Input
                    placeholder={t('project.milestoneTitle')}
                    style={{ width: 200 }}
                    data-testid={`project-form-milestone-${i}`}
                  />
                </Form.Item>
                <DateItem
                  name={[f.name, 'plannedDate']}
                  label={null}
                  required
                  testId={`project-form-milestone-${i}-date`}
                />
                <Form.Item name={[f.name, 'weight']} rules={[{ required: true }]}>
                  <InputNumber
                    min={1}
                    max={100}
                    precision={0}
                    placeholder={t('project.weight')}
                    style={{ width: 90 }}
                  />
                </Form.Item>
                <Form.Item name={[f.name, 'evidenceRequired']} valuePropName="checked">
                  <Checkbox>{t('project.evidence')}</Checkbox>
                </Form.Item>
                <Button
                  icon={<DeleteOutlined />}
                  onClick={() => remove(f.name)}
                  aria-label={t('console:actions.remove')}
                />
              </Space>
            ))}
            <Button
              type="dashed"
              icon={<PlusOutlined />}
              onClick={() => add({ title: '', weight: 1, evidenceRequired: true })}
              data-testid="project-form-add-milestone"
            >
              {t('project.addMilestone')}
            </Button>
          </div>
        )}
      </Form.List>
      <Space wrap align="start" style={{ marginTop: 16 }}>
        <Form.Item name="manualPercent" label={t('project.manualValue')}>
          <InputNumber min={0} max={100} precision={0} />
        </Form.Item>
        <Form.Item
          name="manualReason"
          label={t('project.manualReason')}
          dependencies={['manualPercent']}
          rules={[
            ({ getFieldValue }) => ({
              validator: (_r, value: string) =>
                getFieldValue('manualPercent') === null ||
                getFieldValue('manualPercent') === undefined ||
                value?.trim()
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('task.opinionRequired'))),
            }),
          ]}
        >
          <Input style={{ width: 320 }} />
        </Form.Item>
      </Space>
    </FormModal>
  );
}
