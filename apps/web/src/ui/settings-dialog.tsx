import { useSyncExternalStore } from 'react';
import { CONTROL_MAP } from '../lib/control-map';
import { FOVEATION_LABELS, XR_SETTING_CHOICES, xrSettings } from '../lib/xr-settings';

/** The headset settings (the same ones the in-VR settings panel edits) and the control map. */
export function SettingsDialog({ onClose }: { onClose: () => void }) {
  const settings = useSyncExternalStore(xrSettings.subscribe, xrSettings.get);
  return (
    <dialog
      open
      className="settings"
      data-testid="settings-dialog"
      aria-label="Headset settings and controls"
    >
      <h2>Headset settings</h2>
      <label>
        Frame rate{' '}
        <select
          value={settings.frameRate}
          onChange={(e) => xrSettings.set({ frameRate: Number(e.target.value) as 72 | 90 })}
          data-testid="setting-frame-rate"
        >
          {XR_SETTING_CHOICES.frameRate.map((r) => (
            <option key={r} value={r}>{`${r} Hz`}</option>
          ))}
        </select>
      </label>
      <label>
        Resolution{' '}
        <select
          value={settings.framebufferScale}
          onChange={(e) => xrSettings.set({ framebufferScale: Number(e.target.value) })}
        >
          {XR_SETTING_CHOICES.framebufferScale.map((r) => (
            <option key={r} value={r}>{`${r}×`}</option>
          ))}
        </select>
      </label>
      <label>
        Foveation{' '}
        <select
          value={settings.galleryFoveation}
          onChange={(e) => xrSettings.set({ galleryFoveation: Number(e.target.value) })}
        >
          {XR_SETTING_CHOICES.galleryFoveation.map((r) => (
            <option key={r} value={r}>
              {FOVEATION_LABELS[r]}
            </option>
          ))}
        </select>{' '}
        (at most low while a photo is open)
      </label>
      <h2>Controls</h2>
      <table className="controls" data-testid="control-map">
        <thead>
          <tr>
            <th>Action</th>
            <th>Controller</th>
            <th>Hand</th>
            <th>Desktop</th>
          </tr>
        </thead>
        <tbody>
          {CONTROL_MAP.map((row) => (
            <tr key={row.action}>
              <td>{row.action}</td>
              <td>{row.controller}</td>
              <td>{row.hand}</td>
              <td>{row.desktop}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" onClick={onClose}>
        Close
      </button>
    </dialog>
  );
}
