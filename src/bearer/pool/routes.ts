// Which modems may send to a number. A modem's `routes` are destination prefixes ("+47",
// "4792"): it only takes numbers that start with one of them; no routes means any number.
// Routes restrict; when several modems may take a job, the one that can send soonest does, and
// a tie goes to the modem whose prefix matches most specifically (its operator's numbers).

/** Digits of a number or prefix, without the leading '+'. */
export function digitsOf(s: string): string {
  return s.trim().replace(/^\+/, '');
}

/**
 * How specifically `routes` cover `to`: -1 when they do not, 0 when the modem takes any number
 * (no routes, or an empty prefix), otherwise the number of digits of the longest matching prefix.
 */
export function routeMatch(routes: readonly string[], to: string): number {
  if (routes.length === 0) return 0;
  const n = digitsOf(to);
  let best = -1;
  for (const r of routes) {
    const p = digitsOf(r);
    if (n.startsWith(p) && p.length > best) best = p.length;
  }
  return best;
}

/** The routes of several modems as one sentence, for "no modem serves this number" reasons. */
export function describeRoutes(routes: readonly (readonly string[])[]): string {
  const all = [...new Set(routes.flat())];
  return all.length ? all.join(', ') : 'none';
}
