// The floor under any Node file server: node:http + fs.createReadStream + stream.pipeline, no
// framework, no database. `pnpm bench bff` measures the BFF against it and against nginx.
import { createReadStream, statSync } from 'node:fs';
import http from 'node:http';
import { pipeline } from 'node:stream/promises';

const [file, port] = process.argv.slice(2);
const size = statSync(file).size;
http
  .createServer((req, res) => {
    const match = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
    const start = match ? Number(match[1]) : 0;
    const end = match ? Math.min(Number(match[2]), size - 1) : size - 1;
    res.writeHead(match ? 206 : 200, {
      'Content-Length': end - start + 1,
      ...(match ? { 'Content-Range': `bytes ${start}-${end}/${size}` } : {}),
    });
    pipeline(createReadStream(file, { start, end, highWaterMark: 1 << 20 }), res).catch(() => {});
  })
  .listen(Number(port), '127.0.0.1');
