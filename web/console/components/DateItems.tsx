// Date fields of the console's forms (every DatePicker and RangePicker goes through these). A date may
// be typed, not only picked: in the field's own display format and in the forms people type in China,
// 2023-08-03, 2023/8/3, 2023.8.3, 20230803, 2023年8月3日 (with or without leading zeros); it is shown
// in the display format. A typed text that is no date does not quietly fall back to the old value
// (or to today): the field is emptied and says what could not be read, and the form is not submitted
// until a date is given.
import { DatePicker, Form, type FormRule } from 'antd';
import dayjs from 'dayjs';
import customParseFormat from 'dayjs/plugin/customParseFormat.js';
import { type FocusEvent, type ReactNode, useRef } from 'react';
import { useTranslation } from 'react-i18next';

// Antd's picker extends the same dayjs with it already; said here too, since parsing below relies on it.
dayjs.extend(customParseFormat);

type NamePath = string | number | (string | number)[];

const monthDay = ['MM', 'M'].flatMap((m) => ['DD', 'D'].map((d) => [m, d] as const));

/** The forms a date may be typed in besides the field's display format (strict: 2023/8/3 or 2023/08/03). */
export const TYPED_DATE_FORMATS: readonly string[] = [
  ...['-', '/', '.'].flatMap((sep) => monthDay.map(([m, d]) => `YYYY${sep}${m}${sep}${d}`)),
  'YYYYMMDD',
  ...monthDay.map(([m, d]) => `YYYY年${m}月${d}日`),
];

/** A picker's formats: the display format first (antd shows dates in the first), then the typed ones. */
export const dateFormats = (display: string): string[] => [
  display,
  ...TYPED_DATE_FORMATS.filter((f) => f !== display),
];

/** Whether a typed text is a date in one of `formats`. */
const isTypedDate = (text: string, formats: string[]): boolean =>
  formats.some((f) => dayjs(text, f, true).isValid());

const isEmpty = (value: unknown): boolean =>
  value === null ||
  value === undefined ||
  (Array.isArray(value) && value.every((v) => v === null || v === undefined));

/**
 * The field's refusal of a typed non-date: on leaving an input whose text is no date, the field is
 * emptied and its rule fails, naming the text, until a date is given (or the input is left empty).
 */
function useTypedDateCheck(name: NamePath, formats: string[], required: boolean) {
  const { t } = useTranslation();
  const form = Form.useFormInstance();
  const refused = useRef<string | null>(null);
  const rules: FormRule[] = [
    {
      validator: (_rule, value: unknown) => {
        if (!isEmpty(value)) refused.current = null;
        return refused.current === null
          ? Promise.resolve()
          : Promise.reject(new Error(t('dateInput.invalid', { text: refused.current })));
      },
    },
    ...(required ? [{ required: true, message: t('form.required') }] : []),
  ];
  const onBlur = (e: FocusEvent<HTMLElement>) => {
    if (!(e.target instanceof HTMLInputElement)) return;
    const text = e.target.value.trim();
    if (text === '') {
      // Left empty after a refusal: the field is simply empty now.
      if (refused.current === null) return;
      refused.current = null;
    } else {
      if (isTypedDate(text, formats)) return;
      refused.current = text;
      form.setFieldValue(name, null);
    }
    form.validateFields([name]).catch(() => {});
  };
  return { rules, onBlur };
}

interface DateItemProps {
  name: NamePath;
  label: ReactNode;
  required?: boolean;
  /** The display format; the console's date format (app.dateFormat) unless given. */
  format?: string;
  /** On the input (both inputs of a range). */
  testId?: string;
}

/** A form item with one date. */
export function DateItem({ name, label, required = false, format, testId }: DateItemProps) {
  const { t } = useTranslation();
  const formats = dateFormats(format ?? t('app.dateFormat'));
  const check = useTypedDateCheck(name, formats, required);
  return (
    <Form.Item name={name} label={label} rules={check.rules} validateFirst>
      <DatePicker style={{ width: '100%' }} format={formats} onBlur={check.onBlur} data-testid={testId} />
    </Form.Item>
  );
}

/** A form item with a range of dates (first and last day). */
export function DateRangeItem({ name, label, required = false, format, testId }: DateItemProps) {
  const { t } = useTranslation();
  const formats = dateFormats(format ?? t('app.dateFormat'));
  const check = useTypedDateCheck(name, formats, required);
  return (
    <Form.Item name={name} label={label} rules={check.rules} validateFirst>
      <DatePicker.RangePicker
        style={{ width: '100%' }}
        format={formats}
        onBlur={check.onBlur}
        data-testid={testId}
      />
    </Form.Item>
  );
}
