import { createContext, ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { api, ApiError, Me, ok, Role, session, Tokens } from './api';

interface Session {
  me: Me | null;
  /** False until the tab has tried to resume an earlier session. */
  ready: boolean;
  /** Why the person is back on the sign-in page (expired, signed out, or the service unavailable at reload). */
  notice: 'expired' | 'signedOut' | 'unavailable' | null;
  start(tokens: Pick<Tokens, 'accessToken' | 'refreshToken'>): Promise<void>;
  signOut(): Promise<void>;
  has(...roles: Role[]): boolean;
}

const Context = createContext<Session | null>(null);

const loadMe = async () => (await ok(api.GET('/v1/me'))) as Me;

export const CONTRACTOR_MANAGERS: Role[] = ['legal_rep', 'security_contact', 'security_deputy'];
export const HOSPITAL: Role[] = ['dsi', 'rssi', 'referent', 'auditor'];

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [ready, setReady] = useState(false);
  const [notice, setNotice] = useState<Session['notice']>(null);

  useEffect(() => {
    session.onSignedOut(() => {
      setMe(null);
      setNotice('expired');
    });
    // A reload keeps the session of this tab: the refresh token (sessionStorage) gives a new access token.
    // void: runs in the background; it catches its own failure and always ends with setReady.
    void (async () => {
      try {
        if (session.canResume() && (await session.refresh())) setMe(await loadMe());
      } catch (error) {
        // R-INT: the server could not answer; the session is kept, and the next reload resumes it.
        if (error instanceof ApiError && (error.status === 0 || error.status >= 500)) setNotice('unavailable');
      }
      setReady(true);
    })();
  }, []);

  const start = useCallback(async (tokens: Pick<Tokens, 'accessToken' | 'refreshToken'>) => {
    session.start(tokens);
    setNotice(null);
    setMe(await loadMe());
  }, []);

  const signOut = useCallback(async () => {
    await ok(api.POST('/v1/auth/logout')).catch(() => undefined);
    session.clear();
    setMe(null);
    setNotice('signedOut');
  }, []);

  const value = useMemo<Session>(() => ({
    me, ready, notice, start, signOut,
    has: (...roles) => !!me && me.roles.some((r) => roles.includes(r)),
  }), [me, ready, notice, start, signOut]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useSession(): Session {
  const value = useContext(Context);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
