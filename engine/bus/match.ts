/**
 * @module engine/bus/match
 * NATS subject matching for the in-process bus: `*` is one token, `>` one or more trailing tokens.
 * Owns: the matching rule and subject validation. Pure.
 */
export function subjectMatches(pattern: string, subject: string): boolean {
  const p = pattern.split('.');
  const s = subject.split('.');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return s.length > i;
    if (i >= s.length) return false;
    if (p[i] !== '*' && p[i] !== s[i]) return false;
  }
  return p.length === s.length;
}

/** A publishable subject: non-empty dot-separated tokens without wildcards or whitespace. */
export function isValidSubject(subject: string): boolean {
  return subject.length > 0 && subject.split('.').every((t) => t.length > 0 && !/[\s*>]/.test(t));
}
