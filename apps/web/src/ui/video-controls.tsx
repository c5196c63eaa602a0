import { useEffect, useRef, useState } from 'react';
import { formatVideoTime, type VideoPlayer } from '../lib/video/video-player';
import { useVideoState } from '../scene/use-video-player';

/** While a video plays, its controls fade out after this long without a pointer move or key. */
const IDLE_HIDE_MS = 2500;

/**
 * A video's controls on a screen: play/pause, a seek bar with the time, loop, and what its depth
 * is doing (made: shown in depth; not yet: "depth n%" live while it plays flat). They fade while
 * it plays and nothing moves, so the picture is whole; any pointer move or key brings them back.
 */
export function VideoControls({
  player,
  depthNote,
}: {
  player: VideoPlayer;
  /** e.g. "depth 42%" while the depth video is being made; null when shown in depth. */
  depthNote: string | null;
}) {
  const state = useVideoState(player);
  const [idle, setIdle] = useState(false);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout>;
    const active = () => {
      setIdle(false);
      clearTimeout(timer);
      timer = setTimeout(() => setIdle(true), IDLE_HIDE_MS);
    };
    active();
    window.addEventListener('pointermove', active);
    window.addEventListener('keydown', active);
    return () => {
      clearTimeout(timer);
      window.removeEventListener('pointermove', active);
      window.removeEventListener('keydown', active);
    };
  }, []);
  // The element lives in the page, hidden: it is seen on the depth surface.
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    host.current?.appendChild(player.element);
  }, [player]);
  return (
    <div
      className={`video-controls${idle && !state.paused ? ' idle' : ''}`}
      data-testid="video-controls"
      data-paused={state.paused}
      data-time={state.time.toFixed(3)}
      data-duration={state.duration.toFixed(3)}
      data-loop={state.loop}
      data-frames={player.frame}
    >
      <button
        type="button"
        onClick={() => player.toggle()}
        data-testid="video-play"
        aria-label={state.paused ? 'Play' : 'Pause'}
      >
        {state.paused ? '▶' : '❚❚'}
      </button>
      <input
        type="range"
        min={0}
        max={state.duration || 0}
        step={0.01}
        value={state.time}
        onChange={(e) => player.seek(Number(e.target.value))}
        aria-label="Seek"
        data-testid="video-seek"
      />
      <span className="video-time">
        {formatVideoTime(state.time)} / {formatVideoTime(state.duration)}
      </span>
      <label>
        <input
          type="checkbox"
          checked={state.loop}
          onChange={(e) => player.setLoop(e.target.checked)}
          data-testid="video-loop"
        />
        Loop
      </label>
      {state.muted && (
        <button type="button" onClick={() => player.unmute()} data-testid="video-unmute">
          🔇 Tap for sound
        </button>
      )}
      {depthNote && (
        <span className="video-depth-note" data-testid="video-depth-note">
          {depthNote}
        </span>
      )}
      {state.error && <span role="alert">{state.error}</span>}
      <div ref={host} hidden />
    </div>
  );
}
