// Validation rules the console's forms share, so a "required" text means the same everywhere.
import type { FormRule } from 'antd';

/** Filled with more than spaces (the server trims), and at most `max` characters when given. */
export const requiredText = (message: string, max?: number): FormRule[] => [
  { required: true, whitespace: true, message },
  ...(max === undefined ? [] : [{ max }]),
];

/** For a Form.List that must keep at least one row; `message` shows under the list. */
export const nonEmptyList = (message: string) => [
  {
    validator: async (_r: unknown, list: unknown[] | undefined) => {
      if (!list || list.length === 0) throw new Error(message);
    },
  },
];
