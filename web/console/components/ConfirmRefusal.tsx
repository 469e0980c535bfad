// Some changes the server refuses until the organizer has seen what they mean: revealing a track whose
// units are not all closed, changing results after publication (which withdraws it). The refusal's
// message says exactly that; this shows it in a confirmation and, confirmed, sends the change again
// with the flag that says so. Declined, it throws Cancelled (useAction says nothing).
import { App } from 'antd';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../common/api.ts';
import { Cancelled } from '../hooks.ts';
import { withTestId } from './testId.ts';

export function useConfirmRefusal(): <T>(
  code: string,
  send: (confirmed: boolean) => Promise<T>,
) => Promise<T> {
  const { modal } = App.useApp();
  const { t } = useTranslation();
  return useCallback(
    async <T,>(code: string, send: (confirmed: boolean) => Promise<T>): Promise<T> => {
      try {
        return await send(false);
      } catch (e) {
        if (!isApiError(e) || e.code !== code) throw e;
        const confirmed = await modal.confirm({
          title: t('confirmRefusal.title'),
          content: e.message,
          okText: t('confirmRefusal.ok'),
          okButtonProps: withTestId('confirm-refusal-ok', { danger: true }),
        });
        if (!confirmed) throw new Cancelled();
        return send(true);
      }
    },
    [modal, t],
  );
}
