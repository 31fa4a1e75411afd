// The piece map: one cell per piece (or per run of pieces when there are more pieces than room),
// coloured by whether it is verified, available from connected peers, or nowhere to be had.

import { prepare, themeColor } from './canvas.js';

const MAX_CELL = 14;
const MIN_CELL = 3;
const GAP = 1;
const MAX_HEIGHT = 160;

/** pieces: the answer of GET /torrents/{id}/pieces. The canvas is as tall as its cells need. */
export function drawPieceMap(canvas, pieces) {
  const count = pieces.pieceCount;
  const width = canvas.clientWidth;
  if (count === 0 || width === 0) return;
  let cell = Math.floor(Math.sqrt((width * MAX_HEIGHT) / count)) - GAP;
  cell = Math.max(MIN_CELL, Math.min(MAX_CELL, cell));
  const columns = Math.max(1, Math.floor((width + GAP) / (cell + GAP)));
  const rows = Math.min(Math.ceil(count / columns), Math.floor((MAX_HEIGHT + GAP) / (cell + GAP)));
  canvas.style.height = `${rows * (cell + GAP) - GAP}px`;
  const { context } = prepare(canvas);
  const verified = decodeBitfield(pieces.verified);
  const cells = Math.min(count, columns * rows);
  const colors = {
    done: themeColor('--done'),
    partial: themeColor('--partial'),
    available: themeColor('--available'),
    missing: themeColor('--missing'),
  };
  for (let i = 0; i < cells; i++) {
    const first = Math.floor((i * count) / cells);
    const last = Math.max(first + 1, Math.floor(((i + 1) * count) / cells));
    context.fillStyle = colors[cellState(first, last, verified, pieces)];
    context.fillRect((i % columns) * (cell + GAP), Math.floor(i / columns) * (cell + GAP), cell, cell);
  }
}

function cellState(first, last, verified, pieces) {
  let have = 0;
  let available = false;
  for (let piece = first; piece < last; piece++) {
    if (verified[piece >> 3] & (0x80 >> (piece & 7))) have++;
    else if ((pieces.availability[Math.floor(piece / pieces.availabilityGroup)] || 0) > 0) available = true;
  }
  if (have === last - first) return 'done';
  if (have > 0) return 'partial';
  return available ? 'available' : 'missing';
}

function decodeBitfield(base64) {
  const binary = atob(base64 || '');
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
