// Edits held until the user clicks Save are not lost without asking. A page wraps its editors in
// <UnsavedChangesGuard>; each editor says whether it holds unsaved edits with useUnsavedChanges(dirty).
// While any does, leaving asks first ("有未保存的修改，确定离开吗？"), and "stay" keeps the user where
// they are, edits intact:
// - every navigation the console makes (tabs, side menu, links, navigate()) to another path: the
//   console uses a <BrowserRouter>, not a data router, so React Router's useBlocker is not available;
//   the router's navigator (UNSAFE_NavigationContext) is wrapped instead while something is unsaved;
// - closing or reloading the browser tab: beforeunload, where the browser asks in its own words.
// Not held: going to the sign-in page (the session is over, nothing could be saved any more), and the
// browser's back and forward buttons. BrowserRouter's popstate listener is registered before any page
// mounts and React renders the popped location synchronously, so a page cannot step in first; holding
// those needs a data router (createBrowserRouter) and useBlocker.
import { App } from 'antd';
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useId,
  useRef,
  useState,
} from 'react';
import { useTranslation } from 'react-i18next';
import { type To, UNSAFE_NavigationContext } from 'react-router';
import { withTestId } from './testId.ts';

type SetDirty = (source: string, dirty: boolean) => void;
const UnsavedContext = createContext<SetDirty | null>(null);

/** Where navigations are never held. */
const FREE_PATHS = ['/login'];

const pathOf = (to: To): string =>
  typeof to === 'string'
    ? new URL(to, window.location.href).pathname
    : (to.pathname ?? window.location.pathname);

/** Marks this component's edits as unsaved (or not); a no-op outside an <UnsavedChangesGuard>. */
export function useUnsavedChanges(dirty: boolean): void {
  const setDirty = useContext(UnsavedContext);
  const source = useId();
  useEffect(() => {
    setDirty?.(source, dirty);
  }, [setDirty, source, dirty]);
  useEffect(() => () => setDirty?.(source, false), [setDirty, source]);
}

export function UnsavedChangesGuard({ children }: { children: ReactNode }) {
  const [sources, setSources] = useState<ReadonlySet<string>>(() => new Set());
  const setDirty = useCallback<SetDirty>((source, dirty) => {
    setSources((prev) => {
      if (prev.has(source) === dirty) return prev;
      const next = new Set(prev);
      if (dirty) next.add(source);
      else next.delete(source);
      return next;
    });
  }, []);
  useLeaveGuard(sources.size > 0);
  return <UnsavedContext.Provider value={setDirty}>{children}</UnsavedContext.Provider>;
}

function useLeaveGuard(dirty: boolean): void {
  const { navigator } = useContext(UNSAFE_NavigationContext);
  const { modal } = App.useApp();
  const { t } = useTranslation();
  // Read when the dialog opens: a language change does not re-install the guard.
  const latest = useRef({ modal, t });
  latest.current = { modal, t };

  useEffect(() => {
    if (!dirty) return;
    let pending: { destroy: () => void; proceed: () => void } | null = null;
    /** Asks; `proceed` runs if the user leaves. One question at a time. */
    const hold = (proceed: () => void) => {
      if (pending) return;
      const { modal: m, t: tr } = latest.current;
      const dialog = m.confirm({
        title: tr('leaveGuard.title'),
        content: tr('leaveGuard.content'),
        okText: tr('leaveGuard.leave'),
        cancelText: tr('leaveGuard.stay'),
        okButtonProps: withTestId('leave-ok', { danger: true }),
        cancelButtonProps: withTestId('leave-cancel'),
        // Enter (or Escape) keeps the edits.
        autoFocusButton: 'cancel',
        onOk: () => {
          pending = null;
          proceed();
        },
        onCancel: () => {
          pending = null;
        },
      });
      pending = { destroy: dialog.destroy, proceed };
    };

    // In-app navigations: held when they leave this page's path.
    const { push, replace } = navigator;
    const guarded =
      (go: typeof push): typeof push =>
      (to, state, opts) => {
        const path = pathOf(to);
        if (path === window.location.pathname || FREE_PATHS.includes(path)) go(to, state, opts);
        else hold(() => go(to, state, opts));
      };
    navigator.push = guarded(push);
    navigator.replace = guarded(replace);

    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      // Older browsers ask only when returnValue is set.
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);

    return () => {
      navigator.push = push;
      navigator.replace = replace;
      window.removeEventListener('beforeunload', onBeforeUnload);
      // Nothing is unsaved any more (saved, or the editor is gone): a held navigation goes ahead.
      if (pending) {
        const { destroy, proceed } = pending;
        pending = null;
        destroy();
        proceed();
      }
    };
  }, [dirty, navigator]);
}
