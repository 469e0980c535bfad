// 工作体系: the organizer's tree of programs and their tasks (三条先行路径 → 十项重大工程 → …), edited in
// a drawer. A node with children or indicators cannot be deleted (the server refuses and says why).
import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Empty, Form, Space, Tag, Tree, type TreeDataNode, TreeSelect, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../common/api.ts';
import { Confirm } from '../components/Confirm.tsx';
import { FormDrawer } from '../components/EditorDrawer.tsx';
import { CodeNameItems, SortItem } from '../components/FormItems.tsx';
import { LoadError } from '../components/States.tsx';
import { useAction, validValues } from '../hooks.ts';
import { type FrameworkNodeView, type IndicatorView, NS } from './common.tsx';

interface NodeForm {
  parentId: string | null;
  code: string;
  name: string;
  sort: number;
}

type Editing =
  | { mode: 'new'; kind: 'program' | 'task'; parentId: string | null }
  | { mode: 'edit'; node: FrameworkNodeView };

/** Tree data for antd Tree/TreeSelect: children under their parent, ordered by sort then code. */
export function frameworkTree(
  nodes: FrameworkNodeView[],
  render: (n: FrameworkNodeView) => React.ReactNode,
  selectable?: (n: FrameworkNodeView) => boolean,
): TreeDataNode[] {
  const children = new Map<string | null, FrameworkNodeView[]>();
  for (const n of nodes) children.set(n.parentId, [...(children.get(n.parentId) ?? []), n]);
  const build = (parentId: string | null, seen: Set<string>): TreeDataNode[] =>
    (children.get(parentId) ?? [])
      .slice()
      .sort((a, b) => a.sort - b.sort || a.code.localeCompare(b.code))
      .filter((n) => !seen.has(n.id))
      .map((n) => ({
        key: n.id,
        value: n.id,
        title: render(n),
        selectable: selectable ? selectable(n) : true,
        children: build(n.id, new Set([...seen, n.id])),
      }));
  return build(null, new Set());
}

export function FrameworkEditor({
  nodes,
  indicators,
  loading,
  error,
  reload,
  canEdit,
}: {
  nodes: FrameworkNodeView[];
  indicators: IndicatorView[];
  loading: boolean;
  error: Error | null;
  reload: () => void;
  canEdit: boolean;
}) {
  const { t } = useTranslation(NS);
  const [selected, setSelected] = useState<FrameworkNodeView | null>(null);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<NodeForm>();
  const act = useAction(form);

  const counts = useMemo(() => {
    const m = new Map<string, number>();
    for (const i of indicators) m.set(i.nodeId, (m.get(i.nodeId) ?? 0) + 1);
    return m;
  }, [indicators]);

  const treeData = useMemo(
    () =>
      frameworkTree(nodes, (n) => (
        <Space size={6} data-testid={`framework-node-${n.code}`}>
          <Tag color={n.kind === 'program' ? 'red' : 'blue'}>{t(`framework.kinds.${n.kind}`)}</Tag>
          <Typography.Text type="secondary">{n.code}</Typography.Text>
          <span>{n.name}</span>
          {counts.get(n.id) ? <Tag>{t('framework.indicatorCount', { count: counts.get(n.id) })}</Tag> : null}
        </Space>
      )),
    [nodes, counts, t],
  );
  const parentOptions = useMemo(
    () =>
      frameworkTree(
        nodes,
        (n) => `${n.code} ${n.name}`,
        (n) => editing?.mode !== 'edit' || n.id !== editing.node.id,
      ),
    [nodes, editing],
  );

  const open = (e: Editing) => {
    setEditing(e);
    form.resetFields();
    if (e.mode === 'new') {
      const siblings = nodes.filter((n) => n.parentId === e.parentId);
      form.setFieldsValue({ parentId: e.parentId, sort: siblings.length + 1, code: '', name: '' });
    } else {
      form.setFieldsValue({
        parentId: e.node.parentId,
        code: e.node.code,
        name: e.node.name,
        sort: e.node.sort,
      });
    }
  };

  const save = async () => {
    const v = await validValues(form);
    if (!v || !editing) return;
    setSaving(true);
    const body = { code: v.code.trim(), name: v.name.trim(), sort: v.sort ?? 0 };
    const ok = await act(
      () =>
        editing.mode === 'new'
          ? api.post('/api/framework', {
              ...body,
              kind: editing.kind,
              parentId: editing.kind === 'program' ? null : (v.parentId ?? editing.parentId),
            })
          : api.patch(`/api/framework/${editing.node.id}`, {
              ...body,
              ...(editing.node.kind === 'task' ? { parentId: v.parentId } : {}),
            }),
      t('actions.saved'),
    );
    setSaving(false);
    if (ok !== undefined) {
      setEditing(null);
      reload();
    }
  };

  const kindOfEditing = editing?.mode === 'new' ? editing.kind : editing?.node.kind;
  return (
    <>
      {canEdit ? (
        <Space wrap style={{ marginBottom: 16 }}>
          <Button
            type="primary"
            icon={<PlusOutlined />}
            data-testid="framework-add-program"
            onClick={() => open({ mode: 'new', kind: 'program', parentId: null })}
          >
            {t('framework.addProgram')}
          </Button>
          <Button
            icon={<PlusOutlined />}
            disabled={!selected}
            data-testid="framework-add-task"
            onClick={() => selected && open({ mode: 'new', kind: 'task', parentId: selected.id })}
          >
            {t('framework.addTask')}
          </Button>
          <Button
            icon={<EditOutlined />}
            disabled={!selected}
            data-testid="framework-edit"
            onClick={() => selected && open({ mode: 'edit', node: selected })}
          >
            {t('actions.edit')}
          </Button>
          <Confirm
            title={t('framework.deleteConfirm', { name: selected?.name ?? '' })}
            danger
            disabled={!selected}
            onConfirm={async () => {
              if (!selected) return;
              const ok = await act(() => api.delete(`/api/framework/${selected.id}`), t('actions.deleted'));
              if (ok !== undefined) {
                setSelected(null);
                reload();
              }
            }}
          >
            <Button danger icon={<DeleteOutlined />} disabled={!selected} data-testid="framework-delete">
              {t('actions.delete')}
            </Button>
          </Confirm>
          <Typography.Text type="secondary">
            {selected ? t('framework.selected', { name: selected.name }) : t('framework.selectHint')}
          </Typography.Text>
        </Space>
      ) : null}
      {error ? <LoadError error={error} onRetry={reload} /> : null}
      <Card size="small" loading={loading}>
        {treeData.length === 0 ? (
          <Empty description={t('framework.empty')} />
        ) : (
          <Tree
            data-testid="framework-tree"
            blockNode
            defaultExpandAll
            showLine
            treeData={treeData}
            selectedKeys={selected ? [selected.id] : []}
            onSelect={(keys) => setSelected(nodes.find((n) => n.id === keys[0]) ?? null)}
          />
        )}
      </Card>
      <FormDrawer
        form={form}
        open={editing !== null}
        title={
          editing?.mode === 'new'
            ? t(editing.kind === 'program' ? 'framework.addProgram' : 'framework.addTask')
            : t('framework.edit')
        }
        size={460}
        saving={saving}
        saveTestId="framework-save"
        onClose={() => setEditing(null)}
        onSave={() => void save()}
      >
        {kindOfEditing === 'task' ? (
          <Form.Item
            name="parentId"
            label={t('framework.parent')}
            rules={[{ required: true, message: t('form.required') }]}
          >
            <TreeSelect treeData={parentOptions} treeDefaultExpandAll data-testid="framework-parent" />
          </Form.Item>
        ) : null}
        <CodeNameItems codeLabel={t('fields.code')} nameLabel={t('fields.name')} testIdPrefix="framework" />
        <SortItem label={t('fields.sort')} />
      </FormDrawer>
    </>
  );
}
