// The floor under any Node file server: node:http, no framework, no database. `pnpm bench bff`
// measures the BFF against it and against nginx, in one of three ways of sending the body:
//   pipeline  fs.createReadStream + stream.pipeline (the usual way; the reference)
//   read      one positioned read from a descriptor opened once, one write (the BFF's range path
//             without its per-request checks)
//   memory    the body from memory, no file read at all: Node's socket path alone, the ceiling of
//             any Node server without sendfile
import { createReadStream, openSync, read, readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import { pipeline } from 'node:stream/promises';

const [file, port, mode = 'pipeline'] = process.argv.slice(2);
const size = statSync(file).size;
const fd = mode === 'read' ? openSync(file, 'r') : -1;
const whole = mode === 'memory' ? readFileSync(file) : null;
http
  .createServer((req, res) => {
    const match = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
    const start = match ? Number(match[1]) : 0;
    const end = match ? Math.min(Number(match[2]), size - 1) : size - 1;
    res.writeHead(match ? 206 : 200, {
      'Content-Length': end - start + 1,
      ...(match ? { 'Content-Range': `bytes ${start}-${end}/${size}` } : {}),
    });
    if (whole) res.end(whole.subarray(start, end + 1));
    else if (fd >= 0) {
      const body = Buffer.allocUnsafe(end - start + 1);
      read(fd, body, 0, body.length, start, (error) =>
        error ? res.destroy(error) : res.end(body),
      );
    } else
      pipeline(createReadStream(file, { start, end, highWaterMark: 1 << 20 }), res).catch(() => {});
  })
  .listen(Number(port), '127.0.0.1');
