requestAnimationFrame(() =>
  requestAnimationFrame(() =>
    window.__TAURI_INTERNALS__.invoke('startup_ready', {
      marks: [
        { name: 'navigation_start', epoch_ms: performance.timeOrigin },
        { name: 'frame', epoch_ms: performance.timeOrigin + performance.now() },
      ],
    }),
  ),
);
