// A list page's toolbar: the filters (search box, choice filters) on the left, the page's actions on the
// right, wrapping on narrow screens.
import { Input, Select, Space } from 'antd';
import type { ReactNode } from 'react';

/** The bar above a list's table: `children` are its two ends (filters, actions). */
export function FilterBar({ children }: { children: ReactNode }) {
  return (
    <Space wrap style={{ marginBottom: 16, width: '100%', justifyContent: 'space-between' }}>
      {children}
    </Space>
  );
}

/** Free-text search over a list: every keystroke (and Enter, and clearing) sets the query. */
export function SearchBox({
  placeholder,
  onSearch,
  width,
  testId,
}: {
  placeholder: string;
  onSearch: (query: string) => void;
  width: number;
  testId?: string;
}) {
  return (
    <Input.Search
      allowClear
      placeholder={placeholder}
      onSearch={onSearch}
      onChange={(e) => onSearch(e.target.value)}
      style={{ width }}
      data-testid={testId}
    />
  );
}

/** A clearable choice filter: null when cleared; `searchable` filters the options by their label. */
export function FilterSelect({
  placeholder,
  width,
  value,
  onChange,
  options,
  searchable,
  testId,
}: {
  placeholder: string;
  width: number;
  value: string | null;
  onChange: (value: string | null) => void;
  options: { value: string; label: string }[];
  searchable?: boolean;
  testId?: string;
}) {
  return (
    <Select
      allowClear
      showSearch={searchable ? { optionFilterProp: 'label' } : undefined}
      placeholder={placeholder}
      style={{ width }}
      value={value}
      onChange={(v) => onChange(v ?? null)}
      options={options}
      data-testid={testId}
    />
  );
}
