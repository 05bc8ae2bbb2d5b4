/** Path of the security page, the same in every role's console. */
export const SECURITY_PATH = '/security';
