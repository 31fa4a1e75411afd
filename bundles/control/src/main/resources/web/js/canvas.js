// Canvases drawn at the screen's pixel density and redrawn when their box changes size.

/** Sizes {@code canvas} to its CSS box and returns a context that draws in CSS pixels. */
export function prepare(canvas) {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth;
  const height = canvas.clientHeight;
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
  }
  const context = canvas.getContext('2d');
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  context.clearRect(0, 0, width, height);
  return { context, width, height };
}

/** The page's colours, from the CSS custom properties, so the canvases follow the theme. */
export function themeColor(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

/** Calls {@code draw} now and on every size change; returns the observer, to disconnect. */
export function redrawOnResize(canvas, draw) {
  const observer = new ResizeObserver(() => draw());
  observer.observe(canvas);
  return observer;
}
