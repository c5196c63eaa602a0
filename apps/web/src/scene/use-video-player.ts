import type { DepthVideo, MediaDetail } from '@immichvr/shared';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { IDLE_VIDEO_STATE, VideoPlayer, type VideoPlayerState } from '../lib/video/video-player';

/** A video item's depth video layout, when its depth map is one. */
export function depthVideoOf(item: MediaDetail | null): DepthVideo | null {
  return item?.depthMap?.format === 'mp4' ? (item.depthMap.video ?? null) : null;
}

/** What a video item plays: its depth video when made, else its original (shown flat). */
export function videoUrlOf(item: MediaDetail): string {
  return depthVideoOf(item) && item.urls.depth ? item.urls.depth : item.urls.original;
}

/**
 * The player of an open video (null for a photo): one per item, released when the item closes;
 * when the item's depth video arrives it plays in place of the original.
 */
export function useVideoPlayer(item: MediaDetail | null): VideoPlayer | null {
  const id = item?.mediaType === 'video' ? item.id : null;
  const [player, setPlayer] = useState<VideoPlayer | null>(null);
  useEffect(() => {
    if (!id) return;
    const created = new VideoPlayer();
    setPlayer(created);
    return () => {
      created.dispose();
      setPlayer(null);
    };
  }, [id]);
  const url = item?.mediaType === 'video' ? videoUrlOf(item) : null;
  useEffect(() => {
    if (player && url) player.load(url);
  }, [player, url]);
  return player;
}

/** The player's state, for controls (re-renders on play/pause, time updates, seeking). */
export function useVideoState(player: VideoPlayer | null): VideoPlayerState {
  return useSyncExternalStore(player?.subscribe ?? noSubscribe, player?.getState ?? idle);
}

const noSubscribe = () => () => {};
const idle = () => IDLE_VIDEO_STATE;

/** Whether the player is playing (re-renders only when that changes, not on time updates). */
export function useVideoPlaying(player: VideoPlayer | null): boolean {
  return useSyncExternalStore(player?.subscribe ?? noSubscribe, () =>
    player ? !player.getState().paused : false,
  );
}
