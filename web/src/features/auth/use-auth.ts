import { useContext } from 'react';
import type { Me } from '../../lib/api-client';
import { AuthContext, type AuthContextValue } from './auth-provider';

/** Returns the sign-in state and actions. Throws when rendered outside `AuthProvider`. */
export function useAuth(): AuthContextValue {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth must be used inside AuthProvider.');
  return auth;
}

/** Returns the signed-in caller, for screens that render only after sign-in. */
export function useMe(): Me {
  const { state } = useAuth();
  if (state.status !== 'signedIn') throw new Error('useMe must be used after sign-in.');
  return state.me;
}
