import { readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const PREFIX = 'immichvr-e2e-';

/** Whether a process with this id is running (signal 0 only asks). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Global setup: each run's server keeps its data folder (previews, demo, database) in
 * `immichvr-e2e-<runner pid>` for a look afterwards; the folders of runs that have ended go now,
 * so they do not pile up (~100 MB each). A run still going keeps its folder.
 */
export default async function removeStaleDataDirs(): Promise<void> {
  const tmp = os.tmpdir();
  const current = process.env.IMMICHVR_E2E_DATA_DIR;
  for (const name of await readdir(tmp)) {
    const pid = Number(name.slice(PREFIX.length));
    if (!name.startsWith(PREFIX) || !Number.isInteger(pid) || pid <= 0) continue;
    const folder = path.join(tmp, name);
    if (folder === current || pid === process.pid || isRunning(pid)) continue;
    await rm(folder, { recursive: true, force: true });
  }
}
