/** "500M", "2G", "1048576" → bytes; null when not a size. */
export function parseBytes(text: string): number | null {
  const match = /^(\d+(?:\.\d+)?)\s*([KMGT]i?B?|B)?$/i.exec(text.trim());
  if (!match) return null;
  const unit = (match[2] ?? 'B').toUpperCase()[0] as string;
  const power = { B: 0, K: 1, M: 2, G: 3, T: 4 }[unit] ?? 0;
  return Math.round(Number(match[1]) * 1024 ** power);
}

/** "30d", "12h", "45m", "90s" → seconds; null when not a duration. */
export function parseDuration(text: string): number | null {
  const match = /^(\d+(?:\.\d+)?)\s*([smhdw])$/i.exec(text.trim());
  if (!match) return null;
  const seconds =
    { s: 1, m: 60, h: 3600, d: 86400, w: 604800 }[(match[2] as string).toLowerCase()] ?? 1;
  return Number(match[1]) * seconds;
}
