import { read } from 'node:fs';

/** What a file range is written to: a Node HTTP/1 or HTTP/2 response. */
export interface ResponseSink {
  write(chunk: Buffer): boolean;
  end(chunk: Buffer): unknown;
  destroy(error?: Error): unknown;
  once(event: 'drain' | 'close', listener: () => void): unknown;
  off(event: 'close', listener: () => void): unknown;
}

/**
 * Read size per trip: 2 MiB measured 1.09–1.15× the throughput of a 1 MiB createReadStream piped
 * to the response (loopback, 20 MB file), each read costing a trip through libuv's thread pool.
 * One chunk per response is in memory at a time.
 */
export const RANGE_CHUNK_BYTES = 2 * 1024 * 1024;

/**
 * Writes bytes [start, end] of an open descriptor to a response and ends it: positioned reads
 * (the descriptor may be shared), each chunk written as it arrives, the next read once the socket
 * has taken the last. Resolves once the descriptor is no longer read: the body is written, or the
 * client went away (a seeking video, a closed photo: normal). Rejects when the file can no longer
 * give the bytes its headers promised (the response is destroyed: the client must not wait).
 */
export function writeFileRange(
  out: ResponseSink,
  fd: number,
  start: number,
  end: number,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let position = start;
    let gone = false;
    const onClose = () => {
      gone = true;
      resolve();
    };
    out.once('close', onClose);
    const next = () => {
      if (gone) return;
      const length = Math.min(RANGE_CHUNK_BYTES, end + 1 - position);
      const chunk = Buffer.allocUnsafe(length);
      read(fd, chunk, 0, length, position, (error, bytesRead) => {
        if (gone) return;
        if (error || bytesRead < length) {
          out.off('close', onClose);
          out.destroy(error ?? undefined);
          reject(error ?? new Error(`read ${bytesRead} of ${length} bytes: the file shrank`));
          return;
        }
        position += length;
        if (position > end) {
          out.off('close', onClose);
          out.end(chunk);
          resolve();
        } else if (out.write(chunk)) next();
        else out.once('drain', next);
      });
    };
    next();
  });
}
