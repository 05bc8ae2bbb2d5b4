import { createContext, useContext } from 'react';
import type { ApiClient } from './api-client';

/** The API client of the signed-in session, which tests replace with a fake. */
export const ApiContext = createContext<ApiClient | null>(null);

/** Returns the API client. Throws when rendered outside `AuthProvider`. */
export function useApi(): ApiClient {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi must be used inside AuthProvider or ApiContext.Provider.');
  return api;
}
