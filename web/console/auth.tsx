// The signed-in user of the console, loaded once from /api/auth/me and kept in context.
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import type { MeView, UserView } from '../../src/modules/accounts/schemas.ts';
import { api, configureApi, isApiError } from '../common/api.ts';

interface AuthState {
  user: UserView | null;
  /** A judge's invite session was found in this browser: the console is not for judges. */
  judgeSession: boolean;
  loading: boolean;
  signIn: (username: string, password: string) => Promise<UserView>;
  signOut: () => Promise<void>;
  setUser: (u: UserView | null) => void;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<UserView | null>(null);
  const [judgeSession, setJudgeSession] = useState(false);
  const [loading, setLoading] = useState(true);
  const navigate = useNavigate();

  useEffect(() => {
    let live = true;
    api
      .get<MeView>('/api/auth/me')
      .then((me) => {
        if (!live) return;
        setUser(me.user);
        setJudgeSession(me.kind === 'judge');
      })
      .catch((e: unknown) => {
        if (live && !(isApiError(e) && e.status === 401)) console.warn(e);
      })
      .finally(() => {
        if (live) setLoading(false);
      });
    return () => {
      live = false;
    };
  }, []);

  useEffect(() => {
    // A session that expires mid-work sends the user back to the sign-in page, then to where they were.
    configureApi({
      onUnauthenticated: () => {
        setUser(null);
        navigate('/login', {
          replace: true,
          state: { from: window.location.pathname + window.location.search },
        });
      },
    });
    return () => configureApi({ onUnauthenticated: null });
  }, [navigate]);

  const signIn = useCallback(async (username: string, password: string) => {
    const res = await api.post<{ user: UserView }>('/api/auth/login', { username, password });
    setUser(res.user);
    setJudgeSession(false);
    return res.user;
  }, []);

  const signOut = useCallback(async () => {
    try {
      await api.post('/api/auth/logout');
    } finally {
      setUser(null);
      setJudgeSession(false);
      navigate('/login', { replace: true });
    }
  }, [navigate]);

  const value = useMemo(
    () => ({ user, judgeSession, loading, signIn, signOut, setUser }),
    [user, judgeSession, loading, signIn, signOut],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}

export const isOrganizer = (u: UserView | null): boolean => u?.role === 'organizer';
