/** A failure worth another try: the network, a timeout, or a 5xx answer. */
export class RetryableError extends Error {}

/**
 * Runs `attempt` up to `retries` more times after a RetryableError, waiting 250 ms · 2^(n−1)
 * between tries; any other error, or the caller's abort, ends it at once.
 */
export async function withRetries<T>(
  attempt: () => Promise<T>,
  retries: number,
  signal: AbortSignal,
  what: string,
): Promise<T> {
  let lastError: Error = new Error('no attempt made');
  for (let n = 0; n <= retries; n++) {
    if (n > 0) await sleep(250 * 2 ** (n - 1), signal);
    try {
      return await attempt();
    } catch (error) {
      lastError = error as Error;
      if (signal.aborted || !(error instanceof RetryableError)) throw error;
    }
  }
  throw new Error(`${what} failed after ${retries + 1} tries: ${lastError.message}`);
}

/**
 * fetch with a per-request timeout; unreachable, timed out and 5xx become RetryableError. The
 * response of any other status is returned with its body read.
 */
export async function fetchRemote(
  url: string,
  init: RequestInit,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<{ response: Response; bytes: Buffer }> {
  let response: Response;
  try {
    response = await fetch(url, {
      ...init,
      signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
    });
  } catch (error) {
    if (signal.aborted) throw error;
    const timedOut = (error as Error).name === 'TimeoutError';
    throw new RetryableError(
      timedOut ? `no answer within ${timeoutMs} ms` : `unreachable (${(error as Error).message})`,
    );
  }
  const bytes = Buffer.from(await response.arrayBuffer());
  if (response.status >= 500) throw new RetryableError(`HTTP ${response.status}`);
  return { response, bytes };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}
