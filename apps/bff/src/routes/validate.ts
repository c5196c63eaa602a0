import type { z } from 'zod';
import { BadRequestError } from '../errors';

/** Parses request input with a shared schema; the first problem becomes a 400 problem. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.join('.');
  const message = issue?.message ?? 'invalid input';
  throw new BadRequestError(where && !message.startsWith(where) ? `${where}: ${message}` : message);
}
