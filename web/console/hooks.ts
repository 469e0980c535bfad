// Small data hooks shared by the pages: load with loading/error state, report failures via antd App.
import { App, type FormInstance } from 'antd';
import { type DependencyList, useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../common/api.ts';

export interface Loaded<T> {
  data: T | undefined;
  error: Error | null;
  loading: boolean;
  reload: () => Promise<void>;
  setData: (next: T | ((prev: T | undefined) => T)) => void;
}

/** Runs `loader` on mount and whenever `deps` change; stale answers of earlier runs are ignored. */
export function useLoad<T>(loader: () => Promise<T>, deps: DependencyList): Loaded<T> {
  const [data, setDataState] = useState<T | undefined>(undefined);
  const [error, setError] = useState<Error | null>(null);
  const [loading, setLoading] = useState(true);
  const run = useRef(0);
  const loaderRef = useRef(loader);
  loaderRef.current = loader;

  const reload = useCallback(async () => {
    const id = ++run.current;
    setLoading(true);
    try {
      const value = await loaderRef.current();
      if (id !== run.current) return;
      setDataState(value);
      setError(null);
    } catch (e) {
      if (id !== run.current) return;
      setError(e instanceof Error ? e : new Error(String(e)));
    } finally {
      if (id === run.current) setLoading(false);
    }
  }, []);

  useEffect(
    () => {
      void reload();
    },
    // biome-ignore lint/correctness/useExhaustiveDependencies: the caller's deps decide when to reload.
    deps,
  );

  const setData = useCallback((next: T | ((prev: T | undefined) => T)) => {
    setDataState((prev) => (typeof next === 'function' ? (next as (p: T | undefined) => T)(prev) : next));
  }, []);

  return { data, error, loading, reload, setData };
}

/** Text for any failure: the server's localized message, else a generic one. */
export function useErrorText(): (e: unknown) => string {
  const { t } = useTranslation();
  return useCallback(
    (e: unknown) => (isApiError(e) || e instanceof Error ? e.message || t('app.failed') : t('app.failed')),
    [t],
  );
}

/** Wraps an action: shows the server's message on failure, an optional success message, and rethrows nothing. */
/** Thrown when the user declines a confirmation inside an action: nothing happened, nothing to say. */
export class Cancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'Cancelled';
  }
}

/**
 * With a form: an error the server ties to one of its fields (`details.field`, e.g. a code already
 * taken) is shown on that field, where the user looks, instead of in a toast.
 */
export function useAction(
  form?: FormInstance,
): <T>(fn: () => Promise<T>, success?: string) => Promise<T | undefined> {
  const { message } = App.useApp();
  const errorText = useErrorText();
  return useCallback(
    async <T>(fn: () => Promise<T>, success?: string) => {
      try {
        const r = await fn();
        if (success) void message.success(success);
        return r;
      } catch (e) {
        if (e instanceof Cancelled) return undefined;
        const field = form ? fieldOf(e) : null;
        if (form && field !== null && field in form.getFieldsValue(true)) {
          form.setFields([{ name: field, errors: [errorText(e)] }]);
          form.scrollToField(field);
        } else {
          void message.error(errorText(e));
        }
        return undefined;
      }
    },
    [message, errorText, form],
  );
}

const fieldOf = (e: unknown): string | null => {
  const details = isApiError(e) ? (e.details as { field?: unknown } | undefined) : undefined;
  return typeof details?.field === 'string' ? details.field : null;
};

/**
 * The form's values, or null when a field is invalid (antd then shows the inline errors). Avoids the
 * unhandled rejection `validateFields()` raises on invalid input.
 */
export async function validValues<T>(form: { validateFields: () => Promise<T> }): Promise<T | null> {
  try {
    return await form.validateFields();
  } catch {
    return null;
  }
}

/**
 * Which of a panel's buttons is working: `busy` is the key of the action under way (its button shows
 * a spinner), null when none; `whileBusy` runs one and clears the key however it ends.
 */
export function useBusyKey(): {
  busy: string | null;
  whileBusy: <T>(key: string, fn: () => Promise<T>) => Promise<T>;
} {
  const [busy, setBusy] = useState<string | null>(null);
  const whileBusy = useCallback(async <T>(key: string, fn: () => Promise<T>) => {
    setBusy(key);
    try {
      return await fn();
    } finally {
      setBusy(null);
    }
  }, []);
  return { busy, whileBusy };
}
