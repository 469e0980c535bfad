// Form fields that several editors ask the same way: a record's code and name, and its sort order.
import { Form, Input, InputNumber } from 'antd';
import { useTranslation } from 'react-i18next';
import { requiredText } from './rules.ts';

/** Code (at most 32 characters) and name (at most 200), both required; test ids `<testIdPrefix>-code`, `-name`. */
export function CodeNameItems({
  codeLabel,
  nameLabel,
  testIdPrefix,
}: {
  codeLabel: string;
  nameLabel: string;
  testIdPrefix: string;
}) {
  const { t } = useTranslation();
  return (
    <>
      <Form.Item name="code" label={codeLabel} rules={requiredText(t('form.required'), 32)}>
        <Input data-testid={`${testIdPrefix}-code`} />
      </Form.Item>
      <Form.Item name="name" label={nameLabel} rules={requiredText(t('form.required'), 200)}>
        <Input data-testid={`${testIdPrefix}-name`} />
      </Form.Item>
    </>
  );
}

/** The place among its siblings, a whole number. */
export function SortItem({ label }: { label: string }) {
  return (
    <Form.Item name="sort" label={label}>
      <InputNumber precision={0} style={{ width: '100%' }} />
    </Form.Item>
  );
}
