// A unit's showcase report: structured forms on the left, the slides on the right laid out as the unit
// types (the same layout and rules as the server), what still stops a submission, and the review: the
// reporter saves and submits; the organizer approves, or returns with comments on items, and compares
// revisions. Numbers are not typed here: they are the verified indicator data, with their source.
import { PrinterOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, Input, Modal, Row, Select, Space, Tag, Typography } from 'antd';
import { type ReactNode, useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { checkReport } from '../../../src/modules/reports/domain/check.ts';
import type { ReportContent } from '../../../src/modules/reports/domain/report.ts';
import { deckLabels, problemMessage } from '../../../src/modules/reports/domain/words.ts';
import type { ReportView, TemplateView } from '../../../src/modules/reports/schemas.ts';
import { api, isApiError } from '../../common/api.ts';
import { formatDateTime } from '../../common/format.ts';
import { deckPhotoUrl, SlideView } from '../../common/SlideView.tsx';
import { DownloadButton } from '../components/DownloadButton.tsx';
import { usePhone } from '../components/responsive.ts';
import { LoadError, PageLoading } from '../components/States.tsx';
import { withTestId } from '../components/testId.ts';
import { useAction, useLoad } from '../hooks.ts';
import { newTaskLink } from '../supervision/common.tsx';
import { HighlightExtras, type PhotoItem } from './HighlightExtras.tsx';
import { RequiredPanel } from './RequiredPanel.tsx';

const NS = 'reports-web';
const statusColor = {
  draft: 'default',
  submitted: 'processing',
  verified: 'success',
  returned: 'error',
} as const;

export function StatusTag({ status }: { status: ReportView['status'] }) {
  const { t } = useTranslation(NS);
  return (
    <Tag
      color={status ? statusColor[status] : 'default'}
      data-testid="report-status"
      data-status={status ?? 'none'}
    >
      {t(`status.${status ?? 'none'}`)}
    </Tag>
  );
}

type ListKey = 'highlights' | 'shortfalls' | 'nextSteps';

export function ReportEditor({
  eventId,
  unitId,
  organizer,
}: {
  eventId: string;
  unitId: string;
  organizer: boolean;
}) {
  const { t } = useTranslation(NS);
  const { t: td } = useTranslation('reports');
  const { message } = App.useApp();
  const act = useAction();
  // A phone shows the preview at its own width: a 640 px slide would push the page sideways.
  const phone = usePhone();
  const base = `/api/events/${eventId}/reports/${unitId}`;
  const report = useLoad(() => api.get<ReportView>(base), [base]);
  const photos = useLoad(() => api.get<PhotoItem[]>(`${base}/photos`), [base]);
  const template = useLoad(() => api.get<TemplateView>(`/api/events/${eventId}/reports/template`), [eventId]);
  const [draft, setDraft] = useState<ReportContent | null>(null);
  const [serverProblems, setServerProblems] = useState<string[] | null>(null);
  const [returning, setReturning] = useState(false);
  const [comment, setComment] = useState<{ path: string; text: string }>({ path: 'speaker', text: '' });
  const [compare, setCompare] = useState<{ from: number; to: number } | null>(null);
  const [changes, setChanges] = useState<
    { path: string; before: string | null; after: string | null }[] | null
  >(null);

  const r = report.data;
  const content = draft ?? r?.content ?? null;
  const editable = r !== undefined && !r.locked && r.status !== 'verified';
  // The domain's words carry their namespace (reports:…); i18next's t here is bound to it already.
  const translate = useCallback(
    (k: string, o?: Record<string, unknown>) => td(k.replace(/^reports:/, ''), o),
    [td],
  );

  // The same check as the server's (domain/check.ts), on every keystroke: the preview and its problems.
  const checked = useMemo(() => {
    if (!r || !content || !template.data) return null;
    const { layout, problems } = checkReport({
      template: template.data.template,
      periodKey: template.data.periodKey,
      unitName: r.unitName,
      dateText: template.data.eventDate,
      logo: template.data.hasLogo,
      content,
      required: r.required,
      facts: r.facts,
      labels: deckLabels(translate),
    });
    return { layout, problems: problems.map((p) => problemMessage(translate, p)) };
  }, [r, content, template.data, translate]);
  const laid = checked?.layout ?? null;
  const problems = checked?.problems ?? [];

  if (report.error) return <LoadError error={report.error} onRetry={() => void report.reload()} />;
  if (!r || !content || !template.data) return <PageLoading />;

  const set = (next: ReportContent) => {
    setDraft(next);
    setServerProblems(null);
  };
  const edit = <K extends ListKey>(key: K, i: number, patch: Partial<ReportContent[K][number]>) =>
    set({ ...content, [key]: content[key].map((x, j) => (j === i ? { ...x, ...patch } : x)) });
  const remove = (key: ListKey, i: number) =>
    set({ ...content, [key]: content[key].filter((_, j) => j !== i) });
  const add = (key: ListKey) => {
    const blank = {
      highlights: { title: '', text: '', figures: [], photoIds: [] },
      shortfalls: { indicatorId: null, title: '', cause: '', measure: '' },
      nextSteps: { commitment: '', owner: '', due: '' },
    }[key];
    set({ ...content, [key]: [...content[key], blank] });
  };
  const staleCodes = r.facts
    .filter((f) => r.staleIndicatorIds.includes(f.indicatorId))
    .map((f) => f.code)
    .join('、');
  const photoUrl = deckPhotoUrl(eventId, unitId);
  const sourceOf = (indicatorId: string) => {
    const f = r.facts.find((x) => x.indicatorId === indicatorId);
    if (!f) return undefined;
    return f.source.verifiedBy
      ? t('source', {
          period: f.source.periodKey,
          who: f.source.verifiedBy,
          when: formatDateTime(f.source.verifiedAt ?? ''),
        })
      : t('sourceUnverified', { period: f.source.periodKey });
  };

  const save = async () => {
    const saved = await act(() => api.put<ReportView>(base, { content }), t('saved'));
    if (saved) {
      report.setData(saved);
      setDraft(null);
    }
    return saved;
  };
  const submit = async () => {
    if (draft && !(await save())) return;
    try {
      const done = await api.post<ReportView>(`${base}/submit`);
      report.setData(done);
      void message.success(t('submitted'));
    } catch (e) {
      const list = isApiError(e)
        ? (e.details as { problems?: { message: string }[] } | undefined)?.problems
        : undefined;
      if (list) setServerProblems(list.map((p) => p.message));
      else void message.error(isApiError(e) ? e.message : String(e));
    }
  };
  const review = async (decision: 'verify' | 'return') => {
    const body = decision === 'return' ? { decision, comments: [comment] } : { decision };
    const done = await act(
      () => api.post<ReportView>(`${base}/review`, body),
      t(decision === 'verify' ? 'verified' : 'returned'),
    );
    if (done) {
      report.setData(done);
      setReturning(false);
    }
  };
  const runCompare = async (c: { from: number; to: number }) => {
    setCompare(c);
    const list = await act(() => api.get<typeof changes>(`${base}/compare?from=${c.from}&to=${c.to}`));
    if (list) setChanges(list);
  };

  const field = (
    testId: string,
    value: string,
    onChange: (v: string) => void,
    placeholder: string,
    rows = 0,
  ) =>
    rows > 0 ? (
      <Input.TextArea
        data-testid={testId}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        placeholder={placeholder}
        autoSize={{ minRows: rows }}
        disabled={!editable}
      />
    ) : (
      <Input
        data-testid={testId}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        placeholder={placeholder}
        disabled={!editable}
      />
    );
  /** The text fields of one item of a list, in order: field, label, rows (0: one line). */
  const itemFields: { [K in ListKey]: [keyof ReportContent[K][number] & string, string, number][] } = {
    highlights: [
      ['title', 'title', 0],
      ['text', 'text', 3],
    ],
    shortfalls: [
      ['title', 'title', 0],
      ['cause', 'cause', 2],
      ['measure', 'measure', 2],
    ],
    nextSteps: [
      ['commitment', 'commitment', 2],
      ['owner', 'owner', 0],
      ['due', 'due', 0],
    ],
  };
  const testIdPrefix: Record<ListKey, string> = {
    highlights: 'highlight',
    shortfalls: 'shortfall',
    nextSteps: 'next',
  };
  const textFields = <K extends ListKey>(key: K, i: number, item: ReportContent[K][number]) =>
    itemFields[key].map(([name, label, rows]) => (
      <div key={name}>
        {field(
          `report-${testIdPrefix[key]}-${i}-${name}`,
          String(item[name as keyof typeof item] ?? ''),
          (v) => edit(key, i, { [name]: v } as Partial<ReportContent[K][number]>),
          t(label),
          rows,
        )}
      </div>
    ));
  /** A list section: its items with their fields and a remove button, and an add button. */
  const listCard = <K extends ListKey>(
    key: K,
    item: (x: ReportContent[K][number], i: number) => ReactNode,
  ) => (
    <Card
      size="small"
      title={t(key)}
      extra={
        editable ? (
          <Button size="small" onClick={() => add(key)} data-testid={`report-add-${key}`}>
            {t('add')}
          </Button>
        ) : null
      }
    >
      {(content[key] as ReportContent[K][number][]).map((x, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: items are positional
        <Space key={i} orientation="vertical" style={{ width: '100%', marginBottom: 12 }}>
          {item(x, i)}
          {editable ? (
            <Button size="small" danger onClick={() => remove(key, i)}>
              {t('remove')}
            </Button>
          ) : null}
        </Space>
      ))}
    </Card>
  );
  const indicatorOptions = [
    { value: '', label: t('ownShortfall') },
    ...r.facts.map((f) => ({
      value: f.indicatorId,
      label: t('indicatorOption', { code: f.code, name: f.name, light: td(`lightNames.${f.light}`) }),
    })),
  ];
  const paths = [
    { value: 'speaker', label: t('speaker') },
    ...content.highlights.map((h, i) => ({
      value: `highlights.${i}`,
      label: t('itemLabel', { section: t('highlights'), n: i + 1, title: h.title }),
    })),
    ...content.shortfalls.map((s, i) => ({
      value: `shortfalls.${i}`,
      label: t('itemLabel', { section: t('shortfalls'), n: i + 1, title: s.title }),
    })),
    ...content.nextSteps.map((n, i) => ({
      value: `nextSteps.${i}`,
      label: t('itemLabel', { section: t('nextSteps'), n: i + 1, title: n.commitment }),
    })),
  ];
  const versions = Array.from({ length: r.version }, (_, i) => ({ value: i + 1, label: `v${i + 1}` }));
  const shownProblems = serverProblems ?? problems;

  return (
    <Row gutter={16} data-testid="report-editor">
      <Col xs={24} lg={11}>
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Space wrap>
            <Typography.Title level={4} style={{ margin: 0 }}>
              {r.unitName}
            </Typography.Title>
            <StatusTag status={r.status} />
            {r.version > 0 ? <Tag>v{r.version}</Tag> : null}
            {template.data.deadline ? (
              <Typography.Text type="secondary">
                {t('deadline', { date: template.data.deadline })}
              </Typography.Text>
            ) : null}
          </Space>
          {r.locked ? <Alert type="info" showIcon title={t('locked')} /> : null}
          {r.comments.length > 0 ? (
            <Alert
              type="warning"
              showIcon
              data-testid="report-comments"
              title={t('comments')}
              description={r.comments.map((c) => (
                <div key={c.path}>
                  {t('commentLine', {
                    what: paths.find((p) => p.value === c.path)?.label ?? c.path,
                    text: c.text,
                  })}
                </div>
              ))}
            />
          ) : null}
          {r.staleIndicatorIds.length > 0 ? (
            <Alert
              type="warning"
              showIcon
              data-testid="report-stale"
              title={t('stale', { codes: staleCodes })}
              action={
                organizer && r.status === 'submitted' && !r.locked ? (
                  <Button
                    size="small"
                    danger
                    data-testid="report-ask-refresh"
                    onClick={() =>
                      void act(
                        () =>
                          api.post<ReportView>(`${base}/review`, {
                            decision: 'return',
                            comments: [
                              { path: 'indicators', text: t('refreshComment', { codes: staleCodes }) },
                            ],
                          }),
                        t('returned'),
                      ).then((done) => {
                        if (done) report.setData(done);
                      })
                    }
                  >
                    {t('askRefresh')}
                  </Button>
                ) : undefined
              }
            />
          ) : null}
          {organizer ? (
            <RequiredPanel
              key={r.required.map((x) => x.id).join()}
              eventId={eventId}
              unitId={unitId}
              required={r.required}
              editable={!r.locked}
              onSaved={() => void report.reload()}
            />
          ) : null}
          <Card size="small" title={t('speaker')}>
            {field('report-speaker', content.speaker, (v) => set({ ...content, speaker: v }), t('speaker'))}
          </Card>
          {r.required.some((x) => x.kind === 'work') ? (
            <Card size="small" title={t('workItems')}>
              {r.required
                .filter((x) => x.kind === 'work')
                .map((w) => (
                  <div key={w.id} style={{ marginBottom: 8 }}>
                    <Typography.Text strong>{w.title}</Typography.Text>
                    {field(
                      `report-work-${w.id}`,
                      content.workItems.find((x) => x.requiredItemId === w.id)?.text ?? '',
                      (v) =>
                        set({
                          ...content,
                          workItems: [
                            ...content.workItems.filter((x) => x.requiredItemId !== w.id),
                            { requiredItemId: w.id, text: v },
                          ],
                        }),
                      t('text'),
                      2,
                    )}
                  </div>
                ))}
            </Card>
          ) : null}
          {listCard('highlights', (h, i) => (
            <>
              {textFields('highlights', i, h)}
              <HighlightExtras
                base={base}
                index={i}
                highlight={h}
                editable={editable}
                photos={photos.data ?? []}
                maxPhotos={template.data?.template.limits.maxPhotosPerSlide ?? 0}
                onChange={(patch) => edit('highlights', i, patch)}
                onUploaded={(p) => photos.setData((prev) => [...(prev ?? []), p])}
              />
            </>
          ))}
          {listCard('shortfalls', (sf, i) => (
            <>
              <Select
                data-testid={`report-shortfall-${i}-indicator`}
                style={{ width: '100%' }}
                value={sf.indicatorId ?? ''}
                options={indicatorOptions}
                onChange={(v: string) => edit('shortfalls', i, { indicatorId: v || null })}
                disabled={!editable}
                aria-label={t('indicator')}
              />
              {textFields('shortfalls', i, sf)}
            </>
          ))}
          {listCard('nextSteps', (n, i) => textFields('nextSteps', i, n))}
          {shownProblems.length > 0 ? (
            <Alert
              type="error"
              showIcon
              data-testid="report-problems"
              title={t('problems')}
              description={
                <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                  {shownProblems.map((p) => (
                    <li key={p}>{p}</li>
                  ))}
                </ul>
              }
            />
          ) : (
            <Alert type="success" showIcon title={t('noProblems')} data-testid="report-complete" />
          )}
          <Space wrap>
            {editable ? (
              <>
                <Button onClick={() => void save()} disabled={!draft} data-testid="report-save">
                  {t('save')}
                </Button>
                <Button type="primary" onClick={() => void submit()} data-testid="report-submit">
                  {t('submit')}
                </Button>
              </>
            ) : null}
            {organizer && r.status === 'submitted' && !r.locked ? (
              <>
                <Button type="primary" onClick={() => void review('verify')} data-testid="report-verify">
                  {t('verify')}
                </Button>
                <Button danger onClick={() => setReturning(true)} data-testid="report-return">
                  {t('return')}
                </Button>
              </>
            ) : null}
            <DownloadButton path={`${base}/deck.pptx`} fileName={`${r.unitName}.pptx`} testId="report-pptx">
              {t('pptx')}
            </DownloadButton>
            <Button
              icon={<PrinterOutlined />}
              onClick={() => window.open(`${base}/print`, '_blank', 'noopener')}
              data-testid="report-print"
            >
              {t('print')}
            </Button>
          </Space>
          {organizer && content.nextSteps.some((n) => n.commitment.trim()) ? (
            <Card
              size="small"
              title={t('supervision-web:report.commitments')}
              data-testid="report-commitments"
            >
              {content.nextSteps
                .filter((n) => n.commitment.trim())
                .map((n, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: the steps are positional and may repeat a text
                  <div key={`${i}-${n.commitment}`} style={{ marginBottom: 4 }}>
                    <Link
                      data-testid={`report-commitment-${i}-to-task`}
                      to={newTaskLink({
                        sourceKind: 'commitment',
                        unitId,
                        title: n.commitment.slice(0, 60),
                        sourceText: [n.commitment, n.owner, n.due].filter(Boolean).join(' · '),
                      })}
                    >
                      {t('supervision-web:visit.toTask')}
                    </Link>{' '}
                    {n.commitment}
                  </div>
                ))}
            </Card>
          ) : null}
          {organizer && r.version > 1 ? (
            <Card size="small" title={t('compare')}>
              <Space wrap>
                <Select
                  data-testid="compare-from"
                  style={{ width: 100 }}
                  options={versions}
                  value={compare?.from}
                  placeholder={t('compareFrom')}
                  onChange={(v: number) => void runCompare({ from: v, to: compare?.to ?? r.version })}
                />
                <Select
                  data-testid="compare-to"
                  style={{ width: 100 }}
                  options={versions}
                  value={compare?.to}
                  placeholder={t('compareTo')}
                  onChange={(v: number) => void runCompare({ from: compare?.from ?? 1, to: v })}
                />
              </Space>
              {changes ? (
                changes.length === 0 ? (
                  <Typography.Paragraph type="secondary">{t('noChanges')}</Typography.Paragraph>
                ) : (
                  <ul data-testid="compare-changes" style={{ marginTop: 8 }}>
                    {changes.map((c) => (
                      <li key={c.path}>
                        <Typography.Text code>{c.path}</Typography.Text>{' '}
                        <Typography.Text delete>{c.before ?? '—'}</Typography.Text> →{' '}
                        <Typography.Text mark>{c.after ?? '—'}</Typography.Text>
                      </li>
                    ))}
                  </ul>
                )
              ) : null}
            </Card>
          ) : null}
        </Space>
      </Col>
      <Col xs={24} lg={13}>
        <Typography.Text type="secondary">
          {t('preview', { n: laid?.deck.slides.length ?? 0 })}
        </Typography.Text>
        <Space orientation="vertical" style={{ width: '100%', marginTop: 8 }} data-testid="report-preview">
          {laid?.deck.slides.map((s, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: slides are positional
            <SlideView key={i} slide={s} width={phone ? 340 : 640} sourceOf={sourceOf} photoUrl={photoUrl} />
          ))}
        </Space>
      </Col>
      <Modal
        open={returning}
        title={t('return')}
        onCancel={() => setReturning(false)}
        onOk={() => void review('return')}
        okButtonProps={withTestId('report-return-ok', { danger: true, disabled: comment.text.trim() === '' })}
      >
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Select
            data-testid="comment-path"
            style={{ width: '100%' }}
            options={paths}
            value={comment.path}
            onChange={(v: string) => setComment({ ...comment, path: v })}
            aria-label={t('commentPath')}
          />
          <Input.TextArea
            data-testid="comment-text"
            value={comment.text}
            onChange={(e) => setComment({ ...comment, text: e.target.value })}
            placeholder={t('commentText')}
          />
        </Space>
      </Modal>
    </Row>
  );
}
