import { z } from 'zod';

/** depth_map_cache.model_name of maps made by the built-in estimator (no model weights). */
export const HEURISTIC_DEPTH_MODEL = 'immichvr-heuristic';
/** depth_map_cache.model_name of the demo's exact, rendered depth. */
export const GROUND_TRUTH_DEPTH_MODEL = 'ground-truth';

export const DEPTH_ESTIMATOR_KINDS = ['model', 'heuristic', 'service', 'ground-truth'] as const;
export type DepthEstimatorKind = (typeof DEPTH_ESTIMATOR_KINDS)[number];

/** What made a depth map, in words a user reads, from its model_name. */
export function describeDepthModel(modelName: string | null): {
  label: string;
  kind: DepthEstimatorKind;
} {
  if (modelName === HEURISTIC_DEPTH_MODEL) return { label: 'Built-in estimate', kind: 'heuristic' };
  if (modelName === GROUND_TRUTH_DEPTH_MODEL)
    return { label: 'Exact depth (rendered scene)', kind: 'ground-truth' };
  if (modelName?.startsWith('remote:'))
    return { label: `Depth service at ${modelName.slice(7)}`, kind: 'service' };
  const known = /^depth-anything-v2-(small|base|large)$/.exec(modelName ?? '');
  if (known) {
    const size = known[1] as string;
    return { label: `Depth Anything V2 ${size[0]?.toUpperCase()}${size.slice(1)}`, kind: 'model' };
  }
  if (modelName?.startsWith('onnx:'))
    return { label: `Model ${modelName.slice(5)}`, kind: 'model' };
  return { label: modelName ?? 'Unknown estimator', kind: 'model' };
}

/** Shown beside a map the heuristic made: how to get a real one. */
export const HEURISTIC_DEPTH_HINT =
  'A stand-in made without a depth model: flat areas and skies can sit at the wrong distance. ' +
  'Get real depth downloads Depth Anything V2 Small; the library’s maps are then made again with it.';

export const MODEL_DOWNLOAD_STATES = ['idle', 'downloading', 'installed', 'failed'] as const;

export const depthModelStatusSchema = z.object({
  /** What makes new depth maps now. */
  estimator: z.object({
    kind: z.enum(['model', 'heuristic', 'service']),
    label: z.string(),
  }),
  /** The model the app can fetch, while it is not there and no depth service is configured. */
  offer: z
    .object({ name: z.string(), license: z.string(), bytes: z.number().int().nullable() })
    .nullable(),
  download: z.object({
    state: z.enum(MODEL_DOWNLOAD_STATES),
    received: z.number().int().nonnegative(),
    total: z.number().int().nullable(),
    /** Why the last attempt failed, one line; null otherwise. */
    error: z.string().nullable(),
    /** True when trying again continues from the bytes already here. */
    resumable: z.boolean(),
  }),
  /** Depth maps from the built-in estimator still in the library. */
  heuristicMaps: z.number().int().nonnegative(),
});
export type DepthModelStatus = z.infer<typeof depthModelStatusSchema>;
