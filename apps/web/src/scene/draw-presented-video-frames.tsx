import { useThree } from '@react-three/fiber';
import { useEffect } from 'react';

/** Where the browser cannot say when a frame is presented: the events that bring one. */
const FRAME_EVENTS = ['loadeddata', 'seeked'] as const;

/**
 * A paused video's view is drawn on demand, like a photo's: each frame the element presents (the
 * first one, one after a seek) asks for a frame, and so does pausing (the view drawn as it rests,
 * settled). While it plays the canvas draws every frame anyway and these ask for nothing more.
 */
export function DrawPresentedVideoFrames({
  video,
  playing,
}: {
  video: HTMLVideoElement;
  playing: boolean;
}) {
  const invalidate = useThree((s) => s.invalidate);
  // biome-ignore lint/correctness/useExhaustiveDependencies: pausing is a reason to draw again
  useEffect(() => invalidate(), [invalidate, playing]);
  useEffect(() => {
    const draw = () => invalidate();
    for (const event of FRAME_EVENTS) video.addEventListener(event, draw);
    let handle = 0;
    const onFrame = () => {
      invalidate();
      handle = video.requestVideoFrameCallback(onFrame);
    };
    if (video.requestVideoFrameCallback) handle = video.requestVideoFrameCallback(onFrame);
    return () => {
      for (const event of FRAME_EVENTS) video.removeEventListener(event, draw);
      video.cancelVideoFrameCallback?.(handle);
    };
  }, [video, invalidate]);
  return null;
}
