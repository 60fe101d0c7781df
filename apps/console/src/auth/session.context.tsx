import { createContext, useContext, type ReactNode } from 'react';
import type { Principal, Role } from '../api/api-types';

/** Roles in increasing order of power, as the API ranks them. */
const ORDER: readonly string[] = ['viewer', 'crew', 'operator', 'admin'];

export interface Session {
  principal: Principal;
  signOut: () => void;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ session, children }: { session: Session; children: ReactNode }) {
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in console');
  return session;
}

/** Whether the signed-in key may act as `role` (the API checks again on every request). */
export function useCan(role: Role | 'crew'): boolean {
  return ORDER.indexOf(useSession().principal.role) >= ORDER.indexOf(role);
}
