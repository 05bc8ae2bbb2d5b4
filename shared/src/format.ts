const countFormat = new Intl.NumberFormat('en-US');

/** Formats a whole count, such as credits or tokens, with thousands separators: `12,500`. */
export function formatCount(value: number): string {
  return countFormat.format(value);
}
