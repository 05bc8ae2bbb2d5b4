/**
 * The refresh token is the only token kept outside memory: in `sessionStorage`, so a reload
 * restores the session but closing the tab ends it. It is never put in `localStorage`.
 */
const REFRESH_TOKEN_KEY = 'creditgate.refreshToken';

export function readRefreshToken(): string | null {
  try {
    return window.sessionStorage.getItem(REFRESH_TOKEN_KEY);
  } catch {
    // Privacy settings can block storage, and then the user signs in again after a reload.
    return null;
  }
}

export function storeRefreshToken(token: string): void {
  try {
    window.sessionStorage.setItem(REFRESH_TOKEN_KEY, token);
  } catch {
    // Without storage the session lasts until the next reload.
  }
}

export function clearRefreshToken(): void {
  try {
    window.sessionStorage.removeItem(REFRESH_TOKEN_KEY);
  } catch {
    // Nothing was stored.
  }
}
