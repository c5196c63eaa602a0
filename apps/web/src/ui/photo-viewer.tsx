import { describeDepthModel, type MediaDetail } from '@immichvr/shared';
import { addAfterEffect, addEffect, Canvas, useFrame, useThree } from '@react-three/fiber';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type * as THREE from 'three';
import { describeVideoDepth, useDepthProgress } from '../api/use-depth-progress';
import { useMediaDetail } from '../api/use-media-detail';
import { DEPTH_VIEW } from '../lib/depth/depth-view-config';
import { screenFitBox } from '../lib/depth/placement';
import { animationDelta, IDLE_GAP_SECONDS, RollingSamples } from '../lib/frame-timing';
import { SEEK_STEP_SECONDS } from '../lib/video/video-player';
import { DepthMedia, type DepthMediaStatus } from '../scene/depth-media';
import { DrawPresentedVideoFrames } from '../scene/draw-presented-video-frames';
import { programsCompiledCounter } from '../scene/programs-compiled';
import { createViewerRenderer } from '../scene/settled-antialiasing';
import { SettledFrames } from '../scene/settled-frames';
import { useVideoPlayer, useVideoPlaying } from '../scene/use-video-player';
import { ViewerWarmUp } from '../scene/viewer-warm-up';
import { PhotoInfoPanel } from './photo-info-panel';
import { useShownOnce } from './use-shown-once';
import { VideoControls } from './video-controls';

const LOADING: Omit<DepthMediaStatus, 'mediaId'> = {
  state: 'loading',
  triangles: 0,
  depthMapId: null,
  settled: false,
};

/**
 * How long after its warm-up the idle viewer is drawn on the page once. On software rendering the
 * GPU process is still drawing the warm-up's frames for about a second, and showing the canvas
 * waits for them (1.0–1.6 s of a held page, measured; this much later its longest task was
 * 0.08–0.34 s in `pnpm bench web`).
 */
const SHOW_IDLE_AFTER_MS = 1_500;

/** How far the desktop camera leans with the pointer, in metres either way (head-motion parallax). */
const POINTER_PARALLAX_METERS = 0.15;

interface Props {
  /** The item shown; null: nothing open, the viewer waits hidden with its canvas ready. */
  id: string | null;
  onClose: () => void;
  onStep?: (direction: -1 | 1) => void;
}

/**
 * The desktop (and phone) view of a depth photo or video: the same 3D component as in the headset,
 * looked at by a camera that leans with the pointer so the depth shows as parallax. Esc closes,
 * arrows step (in a video they seek; Shift+arrows step). A video plays with its controls below;
 * space or a click on it plays and pauses. Loading and errors are shown, never a blank.
 *
 * It stays mounted between items (hidden while nothing is open): its WebGL canvas is created and
 * the depth view's shaders compiled once, before the first photo is opened, not on every open.
 */
export function PhotoViewer({ id, onClose, onStep }: Props) {
  const open = id !== null;
  const [warm, setWarm] = useState(false);
  const onWarm = useCallback(() => setWarm(true), []);
  // Warmed up, the idle viewer is drawn on the page once, unseen (see `.viewer-shown-once`),
  // unless a photo opened first has shown it.
  const [seen, setSeen] = useState(false);
  useEffect(() => {
    if (open) setSeen(true);
  }, [open]);
  const idleShown = useShownOnce(warm && !seen && !open, SHOW_IDLE_AFTER_MS);
  const { item, error: loadError } = useMediaDetail(id);
  const player = useVideoPlayer(item);
  const playing = useVideoPlaying(player);
  const depthNote = describeVideoDepth(item, useDepthProgress(item));
  // Stepping to another item starts from loading, not from the last item's status.
  const [reported, setReported] = useState<DepthMediaStatus | null>(null);
  const status = reported?.mediaId === id ? reported : { ...LOADING, mediaId: id ?? '' };
  // A photo drawn in 3D compiled what the warm-up would: it never runs after one (it would hold
  // the page for several frames right after the photo is closed).
  const shown3d = status.state === '3d';
  useEffect(() => {
    if (shown3d) setWarm(true);
  }, [shown3d]);
  const [strength, setStrength] = useState<number>(DEPTH_VIEW.depthStrength.default);
  const [stats, setStats] = useState<RenderCounts>({
    triangles: 0,
    calls: 0,
    geometries: 0,
    textures: 0,
    programsCompiled: 0,
    frameJsMs: 0,
    frameIntervalMs: 0,
  });
  const pointer = useRef({ x: 0, y: 0 });

  const [size, setSize] = useState<number>(DEPTH_VIEW.placement.sizeScale.default);
  const [distance, setDistance] = useState<number>(DEPTH_VIEW.placement.distanceMeters);
  // Each open starts from the default view, as a newly created viewer did.
  useEffect(() => {
    if (open) return;
    setStrength(DEPTH_VIEW.depthStrength.default);
    setSize(DEPTH_VIEW.placement.sizeScale.default);
    setDistance(DEPTH_VIEW.placement.distanceMeters);
    pointer.current = { x: 0, y: 0 };
  }, [open]);

  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      const arrow = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
      if (event.key === 'Escape') onClose();
      else if (player && event.key === ' ') {
        event.preventDefault(); // not a click on the focused button, not a page scroll
        player.toggle();
      } else if (arrow && player && !event.shiftKey) player.seekBy(arrow * SEEK_STEP_SECONDS);
      else if (arrow) onStep?.(arrow);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open, onClose, onStep, player]);

  const onStatus = useCallback((s: DepthMediaStatus) => setReported(s), []);
  const failed = loadError ?? (status.state === 'error' ? status.error : undefined);

  return (
    <div
      className={
        open
          ? 'viewer'
          : idleShown === 'showing'
            ? 'viewer viewer-idle viewer-shown-once'
            : 'viewer viewer-idle'
      }
      aria-hidden={!open}
      inert={!open}
      data-testid={open ? 'photo-viewer' : 'photo-viewer-idle'}
      data-warm-up={!warm ? 'drawing' : seen ? 'done' : idleShown}
      data-state={loadError ? 'error' : status.state}
      data-media-id={id}
      data-depth-map-id={status.depthMapId ?? ''}
      data-settled={status.settled}
      data-triangles={stats.triangles}
      data-draw-calls={stats.calls}
      data-geometries={stats.geometries}
      data-textures={stats.textures}
      data-programs-compiled={stats.programsCompiled}
      data-frame-js-ms={stats.frameJsMs}
      data-frame-interval-ms={stats.frameIntervalMs}
      data-media-type={item?.mediaType ?? ''}
      onPointerMove={(event) => {
        const box = event.currentTarget.getBoundingClientRect();
        pointer.current = {
          x: ((event.clientX - box.left) / box.width) * 2 - 1,
          y: -(((event.clientY - box.top) / box.height) * 2 - 1),
        };
      }}
    >
      <Canvas
        data-testid={open ? 'photo-canvas' : undefined}
        // A photo is drawn on demand: while it grows in, the camera eases or something changes,
        // then no frames at rest (no fan, no battery, a responsive page on software rendering).
        // A playing video draws every frame; a paused one is drawn on demand, as a photo is.
        // Hidden and warmed up: no frames until something is opened.
        frameloop={open ? (playing ? 'always' : 'demand') : warm ? 'never' : 'always'}
        camera={{ fov: 60, near: 0.05, far: 200, position: [0, 0, 0] }}
        gl={(defaults) => createViewerRenderer({ ...defaults, preserveDrawingBuffer: true })}
        onCreated={() => performance.mark('viewer:canvas-created')}
        onClick={() => player?.toggle()}
      >
        <color attach="background" args={['#0b0b0d']} />
        <PointerParallax pointer={pointer} />
        <SettledFrames />
        {open && player && <DrawPresentedVideoFrames video={player.element} playing={playing} />}
        <RenderStats onStats={setStats} />
        {/* Only while nothing is shown: a photo opened before it is done is never drawn over. */}
        {!warm && !open && <ViewerWarmUp onWarm={onWarm} />}
        {open && item && (
          <ScreenDepthMedia
            key={item.id}
            item={item}
            player={player}
            strength={strength}
            sizeScale={size}
            distanceMeters={distance}
            onStatus={onStatus}
          />
        )}
      </Canvas>
      {open && failed && (
        <div className="viewer-placeholder" data-testid="viewer-placeholder" role="alert">
          <strong>{item?.originalFilename ?? 'This item'} cannot be shown</strong>
          <span>{failed}</span>
        </div>
      )}
      {open && item && <PhotoInfoPanel item={item} />}
      {open && player && <VideoControls player={player} depthNote={depthNote} />}
      {open && (
        <div className="viewer-bar">
          <button type="button" onClick={onClose} data-testid="viewer-back">
            ← Back
          </button>
          <button
            type="button"
            onClick={() => onStep?.(-1)}
            data-testid="viewer-prev"
            aria-label="Previous"
          >
            ◀
          </button>
          <button
            type="button"
            onClick={() => onStep?.(1)}
            data-testid="viewer-next"
            aria-label="Next"
          >
            ▶
          </button>
          <span className="viewer-title">{item?.originalFilename ?? ''}</span>
          <Slider
            label="Depth"
            testId="depth-strength"
            value={strength}
            onChange={setStrength}
            min={DEPTH_VIEW.depthStrength.min}
            max={DEPTH_VIEW.depthStrength.max}
          />
          <Slider
            label="Size"
            testId="photo-size"
            value={size}
            onChange={setSize}
            min={DEPTH_VIEW.placement.sizeScale.min}
            max={DEPTH_VIEW.placement.sizeScale.max}
          />
          <Slider
            label="Distance"
            testId="photo-distance"
            value={distance}
            onChange={setDistance}
            min={DEPTH_VIEW.placement.minDistanceMeters}
            max={DEPTH_VIEW.placement.maxDistanceMeters}
          />
          <span className="viewer-status" data-testid="viewer-status">
            {describeStatus(item, loadError, status, depthNote)}
          </span>
        </div>
      )}
    </div>
  );
}

/** What the status line says: the failure, the depth's state, or what made the depth shown. */
function describeStatus(
  item: MediaDetail | null,
  loadError: string | null,
  status: DepthMediaStatus,
  videoDepth: string | null,
): string {
  if (loadError) return `Could not open this item: ${loadError}`;
  if (status.state === 'error') return `Not shown: ${status.error}`;
  if (status.state === 'loading') return 'Loading…';
  if (status.state === 'flat') {
    if (status.error) return `Shown flat: ${status.error}`;
    if (videoDepth) return `Shown flat: ${videoDepth}`;
    return item?.depthMap ? 'Loading depth…' : 'Shown flat: no depth map yet';
  }
  return `${item?.depthMap ? describeDepthModel(item.depthMap.modelName).label : 'depth'} · ${status.triangles.toLocaleString()} triangles`;
}

/** The depth media fitted to this canvas's view, about the camera's rest position. */
function ScreenDepthMedia(props: Omit<React.ComponentProps<typeof DepthMedia>, 'box'>) {
  const camera = useThree((s) => s.camera) as THREE.PerspectiveCamera;
  const aspect = useThree((s) => s.size.width / Math.max(1, s.size.height));
  const box = useMemo(
    () => screenFitBox((camera.fov * Math.PI) / 180, aspect),
    [camera.fov, aspect],
  );
  return <DepthMedia {...props} box={box} />;
}

function Slider(props: {
  label: string;
  testId: string;
  value: number;
  onChange: (value: number) => void;
  min: number;
  max: number;
}) {
  return (
    <label>
      {props.label}
      <input
        type="range"
        min={props.min}
        max={props.max}
        step={0.05}
        value={props.value}
        onChange={(e) => props.onChange(Number(e.target.value))}
        data-testid={props.testId}
      />
    </label>
  );
}

/**
 * Leans the camera with the pointer, easing; it looks straight ahead (−z) throughout. Drawn on
 * demand: a pointer move asks for frames, and they go on until the camera has arrived. The canvas
 * says whether it has (`data-camera-at-rest`): false from the pointer's move, true once the frame
 * that arrives is drawn.
 */
function PointerParallax({ pointer }: { pointer: React.RefObject<{ x: number; y: number }> }) {
  const invalidate = useThree((s) => s.invalidate);
  const canvas = useThree((s) => s.gl.domElement);
  useEffect(() => {
    canvas.dataset.cameraAtRest = 'true';
    const moved = () => {
      canvas.dataset.cameraAtRest = 'false';
      invalidate();
    };
    window.addEventListener('pointermove', moved);
    return () => window.removeEventListener('pointermove', moved);
  }, [invalidate, canvas]);
  // Whether the previous frame was this ease's and asked for this one (its delta is a frame's time).
  const easing = useRef(false);
  useFrame(({ camera, invalidate }, delta) => {
    const ease = 1 - Math.exp(-animationDelta(delta, easing.current) * 8);
    const dx = pointer.current.x * POINTER_PARALLAX_METERS - camera.position.x;
    const dy = pointer.current.y * POINTER_PARALLAX_METERS * 0.6 - camera.position.y;
    camera.position.x += dx * ease;
    camera.position.y += dy * ease;
    camera.rotation.set(0, 0, 0);
    // Within a tenth of a millimetre: arrived (this frame, drawn next, is the last). Written only
    // when it changes: a playing video draws every frame.
    easing.current = Math.abs(dx) > 1e-4 || Math.abs(dy) > 1e-4;
    if (easing.current) invalidate();
    else if (canvas.dataset.cameraAtRest !== 'true') canvas.dataset.cameraAtRest = 'true';
  });
  return null;
}

/** Reports triangles and draw calls of the last frame (renderer.info, read before the next render resets it). */
interface RenderCounts {
  triangles: number;
  calls: number;
  /** Geometries and textures alive on the GPU: they must not grow as photos are opened and closed. */
  geometries: number;
  textures: number;
  /** Shader programs this renderer has compiled so far: opening another photo compiles none. */
  programsCompiled: number;
  /** Median JS time of a frame (every useFrame and the render call) and between frames, ms. */
  frameJsMs: number;
  frameIntervalMs: number;
}

function RenderStats({ onStats }: { onStats: (stats: RenderCounts) => void }) {
  const gl = useThree((s) => s.gl) as THREE.WebGLRenderer;
  const last = useRef('');
  useEffect(() => {
    // JS time per frame: from before the first frame callback to after the render call.
    const js = new RollingSamples();
    const intervals = new RollingSamples();
    let started = 0;
    let previous = 0;
    const programsCompiled = programsCompiledCounter(gl);
    const removeBefore = addEffect((now) => {
      started = performance.now();
      // A gap after the view rested (drawn on demand) is not a frame's time.
      if (previous && now - previous < IDLE_GAP_SECONDS * 1000) intervals.push(now - previous);
      previous = now;
    });
    const removeAfter = addAfterEffect(() => {
      js.push(performance.now() - started);
      const { triangles, calls } = gl.info.render;
      const { geometries, textures } = gl.info.memory;
      const programs = programsCompiled();
      const frameJsMs = Math.round(js.percentile(50) * 10) / 10;
      const frameIntervalMs = Math.round(intervals.percentile(50));
      // Counts at once when they change; timings every tenth frame.
      const key = `${triangles}/${calls}/${geometries}/${textures}/${programs}`;
      if (key !== last.current || js.count % 10 === 0) {
        last.current = key;
        onStats({
          triangles,
          calls,
          geometries,
          textures,
          programsCompiled: programs,
          frameJsMs,
          frameIntervalMs,
        });
      }
    });
    return () => {
      removeBefore();
      removeAfter();
    };
  }, [gl, onStats]);
  return null;
}
