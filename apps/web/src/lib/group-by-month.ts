import type { MediaItem } from '@immichvr/shared';

const MONTH = new Intl.DateTimeFormat('en', { month: 'long', year: 'numeric', timeZone: 'UTC' });

/** Items grouped by capture month (upload time when unknown), in the order given (newest first). */
export function groupByMonth(items: MediaItem[]): Array<{ month: string; items: MediaItem[] }> {
  const groups: Array<{ month: string; items: MediaItem[] }> = [];
  for (const item of items) {
    const month = MONTH.format(new Date(item.capturedAt ?? item.uploadedAt));
    const last = groups.at(-1);
    if (last?.month === month) last.items.push(item);
    else groups.push({ month, items: [item] });
  }
  return groups;
}
