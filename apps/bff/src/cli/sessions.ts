import http from 'node:http';
import https from 'node:https';
import { parseArgs } from 'node:util';
import type { DeviceSession } from '@immichvr/shared';
import { DataDirBusyError } from '../db/data-dir-lock';
import type { Database } from '../db/database';
import { revokeSessions } from '../db/queries/sessions.queries';
import type { Env } from '../env';
import { readLocalToken } from '../security/local-token';
import { listSessions } from '../services/device-sessions.service';
import { runCliOpeningDatabase } from './run-cli';

const USAGE = 'usage: pnpm sessions [list] | pnpm sessions revoke <id (a prefix will do) | all>';

const when = (iso: string | null) => (iso ? iso.replace('T', ' ').slice(0, 16) : '—');

/** Sessions straight from the database, or from the running app when it holds the embedded one. */
interface SessionStore {
  list(): Promise<DeviceSession[]>;
  revoke(id: string): Promise<number>;
}

function databaseStore(db: Database): SessionStore {
  return {
    list: () => listSessions(db),
    revoke: (id) => revokeSessions(db, id),
  };
}

/** One JSON call to the app on this machine; its own self-signed certificate is accepted here. */
function callLocal(
  url: string,
  method: string,
  token: string | null,
): Promise<{ status: number; body: Record<string, unknown> } | null> {
  return new Promise((resolve) => {
    const client = url.startsWith('https:') ? https : http;
    const request = client.request(
      url,
      {
        method,
        rejectUnauthorized: false,
        timeout: 5_000,
        headers: token ? { authorization: `Bearer ${token}` } : {},
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
        });
        response.on('end', () => {
          let body: Record<string, unknown> = {};
          try {
            body = JSON.parse(text) as Record<string, unknown>;
          } catch {}
          resolve({ status: response.statusCode ?? 0, body });
        });
      },
    );
    request.on('error', () => resolve(null));
    request.on('timeout', () => request.destroy());
    request.end();
  });
}

/** The running app's /api/sessions on this machine, with the token it left in DATA_DIR. */
function runningAppStore(env: Env): SessionStore {
  const bases = [`https://127.0.0.1:${env.httpsPort}`, `http://127.0.0.1:${env.port}`];
  const call = async (path: string, method = 'GET') => {
    const token = await readLocalToken(env.dataDir);
    for (const base of bases) {
      const response = await callLocal(`${base}${path}`, method, token);
      if (!response || response.status === 308) continue;
      if (response.status >= 400)
        throw new Error(String(response.body.detail ?? `HTTP ${response.status}`));
      return response.body;
    }
    throw new Error('the app holds the database but does not answer on this machine');
  };
  return {
    list: async () => (await call('/api/sessions')).sessions as DeviceSession[],
    revoke: async (id) =>
      (await call(`/api/sessions/${encodeURIComponent(id)}/revoke`, 'POST')).revoked as number,
  };
}

await runCliOpeningDatabase(async ({ env, openDb }) => {
  const { positionals } = parseArgs({ allowPositionals: true });
  const [command = 'list', target] = positionals;
  if (command !== 'list' && command !== 'revoke')
    throw new Error(`unknown command "${command}"\n${USAGE}`);
  if (command === 'revoke' && (!target || (target !== 'all' && !/^[0-9a-f-]{4,36}$/i.test(target))))
    throw new Error(`revoke needs a session id (at least 4 characters) or "all"\n${USAGE}`);
  let store: SessionStore;
  try {
    store = databaseStore(await openDb());
  } catch (error) {
    if (!(error instanceof DataDirBusyError)) throw error;
    store = runningAppStore(env);
  }
  if (command === 'list') {
    const sessions = await store.list();
    if (sessions.length === 0) {
      console.log('No paired devices. Start with `pnpm start --lan` and pair one at /pair.');
      return;
    }
    console.log(
      'id        device                              paired            last seen         revoked',
    );
    for (const s of sessions)
      console.log(
        `${s.id.slice(0, 8)}  ${s.deviceName.padEnd(34).slice(0, 34)}  ${when(s.createdAt)}  ${when(s.lastSeenAt)}  ${when(s.revokedAt)}`,
      );
    return;
  }
  const revoked = await store.revoke(target === 'all' ? 'all' : (target as string).toLowerCase());
  if (revoked === 0) throw new Error(`no live session matches "${target}"`);
  console.log(`Revoked ${revoked} session${revoked === 1 ? '' : 's'}; the device must pair again.`);
});
