/**
 * Returns the users in email order. The API lists them in id order, which means nothing to a
 * reader. Members of a later page take their places among those already shown.
 */
export function sortByEmail<T extends { email: string }>(users: T[]): T[] {
  return [...users].sort((first, second) => first.email.localeCompare(second.email, 'en'));
}
