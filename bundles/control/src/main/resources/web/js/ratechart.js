// The live download/upload chart: the session's rates from each `stats` event, last five minutes.

import { prepare, redrawOnResize, themeColor } from './canvas.js';
import { rate } from './format.js';

const WINDOW_MS = 5 * 60 * 1000;
const PADDING = { top: 10, right: 12, bottom: 24, left: 72 };

export class RateChart {
  constructor(canvas) {
    this.canvas = canvas;
    this.samples = [];
    this.added = 0;
    redrawOnResize(canvas, () => this.draw());
  }

  add(downloadRate, uploadRate, time = Date.now()) {
    this.samples.push({ time, down: downloadRate, up: uploadRate });
    while (this.samples.length && this.samples[0].time < time - WINDOW_MS) this.samples.shift();
    this.added++;
    this.canvas.dataset.samples = String(this.added); // how many have come: a test waits on it
    this.draw();
  }

  draw() {
    const { context, width, height } = prepare(this.canvas);
    if (width === 0 || height === 0) return;
    const plot = { x: PADDING.left, y: PADDING.top, w: width - PADDING.left - PADDING.right, h: height - PADDING.top - PADDING.bottom };
    const top = niceCeiling(Math.max(1024, ...this.samples.map((s) => Math.max(s.down, s.up))));
    const now = this.samples.length ? this.samples[this.samples.length - 1].time : Date.now();
    const x = (time) => plot.x + plot.w * (1 - (now - time) / WINDOW_MS);
    const y = (value) => plot.y + plot.h * (1 - value / top);

    context.font = '11px system-ui, sans-serif';
    context.fillStyle = themeColor('--muted');
    context.strokeStyle = themeColor('--grid');
    context.lineWidth = 1;
    context.textAlign = 'right';
    context.textBaseline = 'middle';
    for (let i = 0; i <= 4; i++) {
      const value = (top * i) / 4;
      const lineY = Math.round(y(value)) + 0.5;
      context.beginPath();
      context.moveTo(plot.x, lineY);
      context.lineTo(plot.x + plot.w, lineY);
      context.stroke();
      context.fillText(i === 0 ? '0' : rate(value), plot.x - 8, lineY);
    }
    context.textAlign = 'center';
    context.textBaseline = 'top';
    for (let minutes = 5; minutes >= 0; minutes--) {
      const labelX = x(now - minutes * 60000);
      context.fillText(minutes === 0 ? 'now' : `-${minutes} min`, Math.min(labelX, plot.x + plot.w - 12), plot.y + plot.h + 8);
    }
    this.series(context, 'down', themeColor('--down'), x, y, plot);
    this.series(context, 'up', themeColor('--up'), x, y, plot);
  }

  series(context, key, color, x, y, plot) {
    if (this.samples.length < 2) return;
    context.beginPath();
    this.samples.forEach((sample, i) => (i === 0 ? context.moveTo : context.lineTo).call(context, x(sample.time), y(sample[key])));
    context.strokeStyle = color;
    context.lineWidth = 1.75;
    context.stroke();
    context.lineTo(x(this.samples[this.samples.length - 1].time), plot.y + plot.h);
    context.lineTo(x(this.samples[0].time), plot.y + plot.h);
    context.closePath();
    context.globalAlpha = 0.12;
    context.fillStyle = color;
    context.fill();
    context.globalAlpha = 1;
  }
}

/** The next power of two at or above {@code value}: its quarters are round in binary units. */
function niceCeiling(value) {
  return 2 ** Math.ceil(Math.log2(value));
}
