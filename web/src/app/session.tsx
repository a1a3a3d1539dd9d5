import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, ApiError, setCsrfToken } from '../api/client';
import type { Session, User } from '../api/types';

interface SessionState {
  user: User | null;
  signIn: (username: string, password: string) => Promise<void>;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<SessionState | null>(null);

/** Asks the server who we are once; the CSRF token it returns goes with every change the app sends. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const accept = useCallback((session: Session | null) => {
    setCsrfToken(session?.csrf_token ?? null);
    setUser(session?.user ?? null);
  }, []);
  useEffect(() => {
    api<Session>('GET', '/api/v1/session').then(accept, (error: unknown) => {
      if (error instanceof ApiError && error.status === 401) accept(null);
      else setUser(null);
    });
  }, [accept]);
  const signIn = useCallback(async (username: string, password: string) => accept(await api<Session>('POST', '/api/v1/session', { username, password })), [accept]);
  const signOut = useCallback(async () => {
    await api('DELETE', '/api/v1/session');
    accept(null);
  }, [accept]);
  if (user === undefined) return <p className="loading" aria-live="polite">Loading…</p>;
  return <SessionContext.Provider value={{ user, signIn, signOut }}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession outside SessionProvider');
  return state;
}
