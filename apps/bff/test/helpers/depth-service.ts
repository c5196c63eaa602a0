import http from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';

export interface FakeDepthService {
  url: string;
  /** Requests received so far. */
  requests: number;
  /** How the next requests are answered, in order; the last one repeats. */
  script: Array<'ok' | 'error503' | 'error400' | 'garbage' | 'hang'>;
  /** Delay before answering, ms. */
  delayMs: number;
  close(): Promise<void>;
}

/**
 * A small real depth service over HTTP: decodes the posted image and answers a 16-bit grey PNG of
 * the same aspect at half size whose disparity rises from top (far) to bottom (near).
 */
export async function startDepthService(): Promise<FakeDepthService> {
  const service: FakeDepthService = {
    url: '',
    requests: 0,
    script: ['ok'],
    delayMs: 0,
    close: async () => {},
  };
  const server = http.createServer(async (req, res) => {
    const step = service.script[Math.min(service.requests, service.script.length - 1)] ?? 'ok';
    service.requests++;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    await new Promise((r) => setTimeout(r, service.delayMs));
    if (step === 'hang') return; // never answers
    if (step === 'error503') return res.writeHead(503).end('busy');
    if (step === 'error400') return res.writeHead(400).end('cannot read that image');
    if (step === 'garbage')
      return res.writeHead(200, { 'Content-Type': 'image/png' }).end('not a png');
    const meta = await sharp(Buffer.concat(chunks)).metadata();
    const width = Math.round((meta.width ?? 2) / 2);
    const height = Math.round((meta.height ?? 2) / 2);
    const samples = new Uint16Array(width * height).map((_, i) =>
      Math.round((Math.floor(i / width) / Math.max(1, height - 1)) * 65535),
    );
    const png = await sharp(samples, { raw: { width, height, channels: 1 } })
      .toColourspace('grey16')
      .png()
      .toBuffer();
    res.writeHead(200, { 'Content-Type': 'image/png' }).end(png);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  service.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/depth`;
  service.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return service;
}
