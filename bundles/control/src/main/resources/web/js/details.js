// The details pane of the selected torrent: files (with editable priorities), peers, trackers and
// the piece map. The visible tab is refreshed every two seconds while the pane is open, in place.

import { api } from './api.js';
import { redrawOnResize } from './canvas.js';
import { h, progressBar, setProgress } from './dom.js';
import { bytes, percent, rate, stateLabel, timestamp } from './format.js';
import { drawPieceMap } from './piecemap.js';

const REFRESH_MS = 2000;
const PRIORITIES = ['skip', 'low', 'normal', 'high'];

export class DetailsPane {
  /** showError(ApiError) reports failures; the pane stays usable. */
  constructor(elements, showError) {
    this.el = elements;
    this.showError = showError;
    this.torrent = null;
    this.tab = 'files';
    this.generation = 0;
    this.refreshes = 0;
    for (const button of this.el.tabs) {
      button.addEventListener('click', () => this.showTab(button.dataset.tab));
    }
    setInterval(() => this.refresh(), REFRESH_MS);
  }

  /** Opens the pane on {@code torrent}, or closes it for null. */
  show(torrent) {
    const changed = (torrent && torrent.id) !== (this.torrent && this.torrent.id);
    this.torrent = torrent;
    this.el.pane.hidden = !torrent;
    if (!torrent) return;
    this.el.name.textContent = torrent.name;
    this.el.meta.textContent = `${stateLabel(torrent.state)} · ${torrent.infoHash} · ${torrent.savePath}`
      + (torrent.error ? ` · ${torrent.error}` : '');
    if (changed) {
      this.replaceContent(null);
      this.refresh();
    }
  }

  showTab(tab) {
    this.tab = tab;
    for (const button of this.el.tabs) button.setAttribute('aria-selected', String(button.dataset.tab === tab));
    this.replaceContent(null);
    this.refresh();
  }

  /** Shows {@code content} (or nothing), letting the old content and the new one hook in and out. */
  replaceContent(content) {
    const old = this.el.body.firstChild;
    if (old && old.beforeDetach) old.beforeDetach();
    this.el.body.replaceChildren(...(content ? [content] : []));
    if (content && content.afterAttach) content.afterAttach();
  }

  async refresh() {
    if (!this.torrent || document.hidden) return;
    const generation = ++this.generation;
    const { id } = this.torrent;
    const tab = this.tab;
    const asked = performance.now();
    try {
      const view = VIEWS[tab];
      const data = await view.load(id);
      // a slower answer for another torrent or tab must not overwrite the current one
      if (generation !== this.generation || !this.torrent || this.torrent.id !== id || this.tab !== tab) return;
      // what is on screen is updated where it stands, so a control in use (a priority being
      // chosen) is never swept away; only a view of another shape is built anew
      const shown = this.el.body.firstChild;
      if (!(shown && shown.view === `${tab}:${id}` && shown.update && shown.update(data, asked))) {
        const content = view.render(data, id, this);
        content.view = `${tab}:${id}`;
        this.replaceContent(content);
      }
      this.el.body.dataset.refreshes = String(++this.refreshes); // a test waits on it
    } catch (error) {
      if (error.status !== 401 && error.status !== 404) this.showError(error);
    }
  }
}

/** Each tab: load(id) fetches its data, render(data, id, pane) builds its content. */
const VIEWS = {
  files: {
    load: async (id) => (await api.files(id)).files,
    render(files, id, pane) {
      const rows = new Map(files.map((file) => [file.index, new FileRow(file, id, pane)]));
      const content = table(['Name', '#Size', 'Progress', 'Priority'], [...rows.values()].map((row) => row.cells),
        'No files.');
      /** Updates each row in place; false when the files are not those shown (metadata has just arrived). */
      content.update = (next, asked) => {
        if (next.length !== rows.size || !next.every((file) => rows.has(file.index))) return false;
        for (const file of next) rows.get(file.index).update(file, asked);
        return true;
      };
      return content;
    },
  },

  peers: {
    load: async (id) => (await api.peers(id)).peers,
    render: (peers) => table(['Address', 'Client', '#Progress', '#Down', '#Up', 'Flags'], peers.map((peer) => [
      cell(`${peer.address}:${peer.port}`, 'mono'),
      cell(peer.client || 'unknown'),
      cell(percent(peer.progress), 'num'),
      cell(rate(peer.downloadRate), 'num'),
      cell(rate(peer.uploadRate), 'num'),
      cell(peer.flags, 'mono'),
    ]), 'No connected peers.'),
  },

  trackers: {
    load: async (id) => (await api.trackers(id)).trackers,
    render: (trackers) => table(['#Tier', 'URL', 'Status', '#Seeds', '#Leechers', 'Last announce', 'Next announce'],
      trackers.map((tracker) => [
        cell(String(tracker.tier), 'num'),
        cell(tracker.url, 'mono path'),
        cell(tracker.lastError ? `${tracker.status}: ${tracker.lastError}` : tracker.status),
        cell(tracker.seeders ?? '–', 'num'),
        cell(tracker.leechers ?? '–', 'num'),
        cell(timestamp(tracker.lastAnnounce)),
        cell(timestamp(tracker.nextAnnounce)),
      ]), 'This torrent has no trackers.'),
  },

  pieces: {
    load: (id) => api.pieces(id),
    render(pieces) {
      const canvas = h('canvas', { className: 'piece-map', 'aria-label': 'Piece map' });
      const verified = countBits(pieces.verified);
      const legend = h('p', { className: 'legend' },
        key('done', 'verified'), key('partial', 'partly verified'), key('available', 'available from peers'),
        key('missing', 'not available'),
        h('span', { className: 'muted' }, `${verified} of ${pieces.pieceCount} pieces verified`));
      const content = h('div', {}, canvas, legend);
      // observing draws it once attached, and again whenever the pane's width changes
      let observer = null;
      content.afterAttach = () => { observer = redrawOnResize(canvas, () => drawPieceMap(canvas, pieces)); };
      content.beforeDetach = () => observer && observer.disconnect();
      return content;
    },
  },
};

/** One file's row; update() changes its values, never its elements. */
class FileRow {
  constructor(file, id, pane) {
    this.file = file;
    this.chosenAt = -Infinity;
    this.bar = progressBar(file.progress);
    this.label = h('span', { className: 'bar-label' }, percent(file.progress));
    this.select = h('select', { 'aria-label': `Priority of ${file.path}` },
      ...PRIORITIES.map((p) => h('option', { value: p, textContent: p, selected: p === file.priority })));
    this.select.addEventListener('change', () => this.choose(id, pane));
    this.cells = [cell(file.path, 'path'), cell(bytes(file.size), 'num'), h('td', {}, this.bar, ' ', this.label),
      h('td', {}, this.select)];
  }

  /** {@code asked}: when the answer holding {@code file} was asked for (performance.now()). */
  update(file, asked) {
    setProgress(this.bar, file.progress);
    this.label.textContent = percent(file.progress);
    // a priority being chosen, on its way to the server, or newer than the answer is the user's
    const inUse = this.select.disabled || document.activeElement === this.select || asked < this.chosenAt;
    if (inUse) return;
    this.file = file;
    if (this.select.value !== file.priority) this.select.value = file.priority;
  }

  async choose(id, pane) {
    this.select.disabled = true;
    try {
      await api.setPriority(id, [this.file.index], this.select.value);
      this.file = { ...this.file, priority: this.select.value };
      this.chosenAt = performance.now();
    } catch (error) {
      this.select.value = this.file.priority;
      pane.showError(error);
    } finally {
      this.select.disabled = false;
    }
  }
}

/** headings: column names, '#' in front for a numeric (right-aligned) column. */
function table(headings, rows, emptyText) {
  if (rows.length === 0) return h('p', { className: 'empty' }, emptyText);
  const th = (heading) => (heading.startsWith('#')
    ? h('th', { scope: 'col', className: 'num' }, heading.slice(1))
    : h('th', { scope: 'col' }, heading));
  return h('div', { className: 'scroll' }, h('table', { className: 'grid' },
    h('thead', {}, h('tr', {}, ...headings.map(th))),
    h('tbody', {}, ...rows.map((cells) => h('tr', {}, ...cells)))));
}

function cell(value, className = '') {
  return h('td', { className, title: String(value) }, String(value));
}

function key(kind, label) {
  return h('span', { className: 'key' }, h('span', { className: 'swatch ' + kind }), label);
}

function countBits(base64) {
  let count = 0;
  for (const char of atob(base64 || '')) {
    for (let byte = char.charCodeAt(0); byte; byte &= byte - 1) count++;
  }
  return count;
}
