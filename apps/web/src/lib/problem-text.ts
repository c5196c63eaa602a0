/**
 * Why an HTTP request failed, in words, from its answer's body: an RFC 9457 problem's detail, else
 * its title, else the status. Plain checks (no schema library): the depth worker uses it too.
 */
export function problemText(body: unknown, status: number): string {
  if (body && typeof body === 'object') {
    const { detail, title } = body as { detail?: unknown; title?: unknown };
    if (typeof detail === 'string' && detail) return detail;
    if (typeof title === 'string' && title) return title;
  }
  return `HTTP ${status}`;
}
