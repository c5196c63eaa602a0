/**
 * The process's Node options for a worker thread (memory limits, profiling, loaders), less those
 * that describe the main script only: a process started with `-e '…' --input-type=module` would
 * otherwise hand them to the thread, which then refuses to start.
 */
export function threadExecArgv(execArgv: readonly string[] = process.execArgv): string[] {
  const kept: string[] = [];
  for (let k = 0; k < execArgv.length; k++) {
    const arg = execArgv[k] as string;
    if (['-e', '--eval', '-p', '--print'].includes(arg)) k++;
    else if (!/^--(input-type|eval|print)(=|$)/.test(arg)) kept.push(arg);
  }
  return kept;
}
