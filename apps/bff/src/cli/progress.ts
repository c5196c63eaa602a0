/**
 * One progress line on a terminal, redrawn in place; on a pipe (CI, logs) a line at most every
 * two seconds, plus the last one.
 */
export function createProgressLine(stream: NodeJS.WriteStream = process.stderr) {
  let lastPrinted = 0;
  let open = false;
  return {
    update(text: string, final = false) {
      if (stream.isTTY) {
        stream.write(`\r\x1b[2K${text}`);
        open = true;
        if (final) this.done();
        return;
      }
      const now = Date.now();
      if (final || now - lastPrinted > 2000) {
        stream.write(`${text}\n`);
        lastPrinted = now;
      }
    },
    done() {
      if (open) stream.write('\n');
      open = false;
    },
  };
}

/** "[########------------]  40% 4/10" */
export function bar(done: number, total: number, width = 24): string {
  const fraction = total === 0 ? 1 : Math.min(1, done / total);
  const filled = Math.round(fraction * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.round(fraction * 100)).padStart(3)}% ${done}/${total}`;
}
