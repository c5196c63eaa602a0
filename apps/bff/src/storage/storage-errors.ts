import { HttpProblem } from '../errors';

/**
 * File-system failures in words a user can act on, without the server's paths: what a failed job
 * records (and the panel shows) and what an HTTP client hears.
 */
const STORAGE_FAILURES: Record<string, { status: number; title: string; message: string }> = {
  ENOSPC: {
    status: 507,
    title: 'Insufficient Storage',
    message: 'the data folder is full (no space left on the device)',
  },
  EDQUOT: {
    status: 507,
    title: 'Insufficient Storage',
    message: 'the data folder is over its disk quota',
  },
  EROFS: { status: 503, title: 'Service Unavailable', message: 'the data folder is read-only' },
  EACCES: {
    status: 503,
    title: 'Service Unavailable',
    message: 'the data folder is not writable (permission denied)',
  },
  EPERM: {
    status: 503,
    title: 'Service Unavailable',
    message: 'the data folder is not writable (operation not permitted)',
  },
  EMFILE: {
    status: 503,
    title: 'Service Unavailable',
    message: 'too many open files; try again shortly',
  },
};

/** libvips (sharp) reports write failures as text, without an errno code. */
const MESSAGE_CODES: Array<[RegExp, string]> = [
  [/no space left on device/i, 'ENOSPC'],
  [/disk quota exceeded/i, 'EDQUOT'],
  [/read-only file system/i, 'EROFS'],
  [/permission denied/i, 'EACCES'],
];

export function storageFailureOf(error: unknown): (typeof STORAGE_FAILURES)[string] | undefined {
  const code =
    (error as NodeJS.ErrnoException | undefined)?.code ??
    MESSAGE_CODES.find(([pattern]) => pattern.test(String((error as Error)?.message ?? '')))?.[1];
  return code ? STORAGE_FAILURES[code] : undefined;
}

/** A problem response for a storage failure, or undefined when it is not one. */
export function storageProblem(error: unknown): HttpProblem | undefined {
  const failure = storageFailureOf(error);
  return failure && new HttpProblem(failure.status, failure.title, failure.message);
}

/** A job's error as recorded for the user: storage failures in words, never a server path. */
export function describeJobError(error: unknown): string {
  const failure = storageFailureOf(error);
  if (failure) return failure.message;
  const message = (error as Error)?.message || String(error);
  // Errno messages end with the path they failed on ("…, open '/srv/…'"): not the user's business.
  return message.replace(/, (open|mkdir|rename|unlink|scandir|stat|copyfile) '[^']*'/g, '');
}
