import { z } from 'zod';

const timestamp = z.iso.datetime({ offset: true });

/** POST /api/pairing: the code shown in the terminal of the server. */
export const pairingRequestSchema = z.object({
  code: z
    .string({ error: 'code is required' })
    .trim()
    .min(1, 'code is required')
    .max(32, 'code is too long'),
});

/** A pairing code was asked for: it is shown in the terminal until then. */
export const pairingTicketSchema = z.object({ expiresAt: timestamp });

export const pairingResponseSchema = z.object({ sessionId: z.uuid(), deviceName: z.string() });

export const deviceSessionSchema = z.object({
  id: z.uuid(),
  deviceName: z.string(),
  createdAt: timestamp,
  lastSeenAt: timestamp,
  revokedAt: timestamp.nullable(),
});
export type DeviceSession = z.infer<typeof deviceSessionSchema>;

export const deviceSessionListSchema = z.object({ sessions: z.array(deviceSessionSchema) });

export const sessionRevokeParamsSchema = z.object({
  id: z.union([
    z.literal('all'),
    z.string().regex(/^[0-9a-f-]{4,36}$/i, 'id must be a session id (4+ characters) or all'),
  ]),
});
export const sessionRevokeResponseSchema = z.object({ revoked: z.number().int() });
