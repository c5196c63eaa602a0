/** "October 2026" for "2026-10" (UTC, as the timeline groups). */
export function monthTitle(month: string): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, m - 1, 1)).toLocaleDateString('en', {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

/** "Tue 14" for a timestamp (UTC). */
export function dayLabel(timestamp: string): string {
  return new Date(timestamp).toLocaleDateString('en', {
    weekday: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  });
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export function formatDateTime(timestamp: string): string {
  return new Date(timestamp).toLocaleString('en', { dateStyle: 'medium', timeStyle: 'short' });
}
