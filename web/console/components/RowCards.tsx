// A table's rows as a list of cards, for a phone: the first column is the card's title, every other
// column a labelled line under it — the same cells (inputs, buttons, test ids) the table renders, so a
// page switches with one condition and keeps one set of columns.
import { Card, Descriptions, Empty, List, type TableColumnsType } from 'antd';
import type { HTMLAttributes, ReactNode } from 'react';

/** What a list card reads of a column: its title, where its value is, how it renders. */
interface Column<T> {
  key?: string | number | bigint;
  title?: unknown;
  dataIndex?: string | number | readonly (string | number)[];
  render?: (value: unknown, record: T, index: number) => unknown;
}

function cellOf<T>(column: Column<T>, record: T, index: number): ReactNode {
  const index_ = column.dataIndex;
  const path: readonly (string | number)[] =
    index_ === undefined ? [] : Array.isArray(index_) ? index_ : [index_ as string | number];
  let value: unknown = path.length > 0 ? record : undefined;
  for (const k of path) value = (value as Record<string | number, unknown> | null | undefined)?.[k];
  return (column.render ? column.render(value, record, index) : value) as ReactNode;
}

export function RowCards<T>({
  columns,
  dataSource,
  rowKey,
  loading,
  emptyText,
  pageSize,
  onRow,
  testId,
}: {
  columns: TableColumnsType<T>;
  dataSource: readonly T[];
  rowKey: (record: T) => string;
  loading?: boolean;
  emptyText?: ReactNode;
  pageSize?: number;
  onRow?: (record: T) => HTMLAttributes<HTMLElement>;
  testId?: string;
}) {
  const [head, ...rest] = columns as unknown as Column<T>[];
  return (
    <List<T>
      data-testid={testId}
      loading={loading}
      dataSource={[...dataSource]}
      rowKey={rowKey}
      split={false}
      locale={{ emptyText: emptyText ?? <Empty /> }}
      pagination={
        pageSize && dataSource.length > pageSize ? { pageSize, size: 'small', align: 'center' } : false
      }
      renderItem={(record, index) => (
        <List.Item style={{ padding: '0 0 12px' }} {...onRow?.(record)}>
          <Card
            size="small"
            style={{ width: '100%' }}
            styles={{ title: { whiteSpace: 'normal', padding: '8px 0' } }}
            title={head ? cellOf(head, record, index) : null}
          >
            <Descriptions
              size="small"
              column={1}
              colon={false}
              // A long label (English) wraps in its share instead of pushing the value out of the card.
              styles={{ label: { maxWidth: '38%' }, content: { minWidth: 0 } }}
              items={rest.map((column, n) => ({
                key: String(column.key ?? n),
                label: typeof column.title === 'function' ? null : (column.title as ReactNode),
                children: cellOf(column, record, index),
              }))}
            />
          </Card>
        </List.Item>
      )}
    />
  );
}
