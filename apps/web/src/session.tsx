import { createContext, ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { api, ApiError, Me, Membership, ok, Role, session, Tokens } from './api';

interface Session {
  me: Me | null;
  /** R-MEMB the person's active establishments (one for most people), `current` this session's. */
  memberships: Membership[];
  /** R-MEMB just signed in with several establishments: the chooser shows until one is picked (`chosen`). */
  choosing: boolean;
  /** False until the tab has tried to resume an earlier session. */
  ready: boolean;
  /** Why the person is back on the sign-in page (expired, signed out, or the service unavailable at reload). */
  notice: 'expired' | 'signedOut' | 'unavailable' | null;
  start(tokens: Pick<Tokens, 'accessToken' | 'refreshToken'>): Promise<void>;
  signOut(): Promise<void>;
  /** R-MEMB a session of another establishment of the same person (no TOTP again); this one ends. Answers the new `me`. */
  switchTo(membershipId: string): Promise<Me>;
  chosen(): void;
  has(...roles: Role[]): boolean;
}

const Context = createContext<Session | null>(null);

const loadMe = async () => (await ok(api.GET('/v1/me'))) as Me;
// The switcher is a convenience: when the list cannot be read, the person keeps working in this establishment.
const loadMemberships = () => ok(api.GET('/v1/me/memberships')).catch((): Membership[] => []);
const loadPerson = () => Promise.all([loadMe(), loadMemberships()]);

export const CONTRACTOR_MANAGERS: Role[] = ['legal_rep', 'security_contact', 'security_deputy'];
export const HOSPITAL: Role[] = ['dsi', 'rssi', 'referent', 'auditor'];

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [memberships, setMemberships] = useState<Membership[]>([]);
  const [choosing, setChoosing] = useState(false);
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
        if (session.canResume() && (await session.refresh())) {
          const [person, all] = await loadPerson();
          setMemberships(all);
          setMe(person);
        }
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
    const [person, all] = await loadPerson();
    setMemberships(all);
    setChoosing(all.length > 1);
    setMe(person);
  }, []);

  const switchTo = useCallback(async (membershipId: string) => {
    const tokens = await ok(api.POST('/v1/auth/switch', { body: { membershipId } })).catch((error: unknown) => {
      // This session had ended (a password change, a parallel switch): the person signs in again, as on any 401.
      if (error instanceof ApiError && error.status === 401) {
        session.clear();
        setMe(null);
        setNotice('expired');
      }
      throw error;
    });
    session.start(tokens);
    const [person, all] = await loadPerson();
    setMemberships(all);
    setChoosing(false);
    setMe(person);
    return person;
  }, []);

  const chosen = useCallback(() => setChoosing(false), []);

  const signOut = useCallback(async () => {
    await ok(api.POST('/v1/auth/logout')).catch(() => undefined);
    session.clear();
    setMe(null);
    setMemberships([]);
    setChoosing(false);
    setNotice('signedOut');
  }, []);

  const value = useMemo<Session>(() => ({
    me, memberships, choosing, ready, notice, start, signOut, switchTo, chosen,
    has: (...roles) => !!me && me.roles.some((r) => roles.includes(r)),
  }), [me, memberships, choosing, ready, notice, start, signOut, switchTo, chosen]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useSession(): Session {
  const value = useContext(Context);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
