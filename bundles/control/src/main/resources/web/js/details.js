// The details pane of the selected torrent: files (with editable priorities), peers, trackers and
// the piece map. The visible tab is refreshed every two seconds while the pane is open.

import { api } from './api.js';
import { redrawOnResize } from './canvas.js';
import { h, progressBar } from './dom.js';
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
    // a priority being chosen right now must not be swept away by a refresh
    if (this.el.body.contains(document.activeElement) && document.activeElement.tagName === 'SELECT') return;
    const generation = ++this.generation;
    const { id } = this.torrent;
    const tab = this.tab;
    try {
      const content = await RENDERERS[tab](id, this);
      // a slower answer for another torrent or tab must not overwrite the current one
      if (generation === this.generation && this.torrent && this.torrent.id === id && this.tab === tab) {
        this.replaceContent(content);
      }
    } catch (error) {
      if (error.status !== 401 && error.status !== 404) this.showError(error);
    }
  }
}

const RENDERERS = {
  async files(id, pane) {
    const { files } = await api.files(id);
    return table(['Name', '#Size', 'Progress', 'Priority'], files.map((file) => [
      cell(file.path, 'path'),
      cell(bytes(file.size), 'num'),
      h('td', {}, progressBar(file.progress), ' ', h('span', { className: 'bar-label' }, percent(file.progress))),
      h('td', {}, prioritySelect(id, file, pane)),
    ]), 'No files.');
  },

  async peers(id) {
    const { peers } = await api.peers(id);
    return table(['Address', 'Client', '#Progress', '#Down', '#Up', 'Flags'], peers.map((peer) => [
      cell(`${peer.address}:${peer.port}`, 'mono'),
      cell(peer.client || 'unknown'),
      cell(percent(peer.progress), 'num'),
      cell(rate(peer.downloadRate), 'num'),
      cell(rate(peer.uploadRate), 'num'),
      cell(peer.flags, 'mono'),
    ]), 'No connected peers.');
  },

  async trackers(id) {
    const { trackers } = await api.trackers(id);
    return table(['#Tier', 'URL', 'Status', '#Seeds', '#Leechers', 'Last announce', 'Next announce'], trackers.map((tracker) => [
      cell(String(tracker.tier), 'num'),
      cell(tracker.url, 'mono path'),
      cell(tracker.lastError ? `${tracker.status}: ${tracker.lastError}` : tracker.status),
      cell(tracker.seeders ?? '–', 'num'),
      cell(tracker.leechers ?? '–', 'num'),
      cell(timestamp(tracker.lastAnnounce)),
      cell(timestamp(tracker.nextAnnounce)),
    ]), 'This torrent has no trackers.');
  },

  async pieces(id) {
    const pieces = await api.pieces(id);
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
};

function prioritySelect(id, file, pane) {
  const select = h('select', { 'aria-label': `Priority of ${file.path}` },
    ...PRIORITIES.map((p) => h('option', { value: p, textContent: p, selected: p === file.priority })));
  select.addEventListener('change', async () => {
    select.disabled = true;
    try {
      await api.setPriority(id, [file.index], select.value);
    } catch (error) {
      select.value = file.priority;
      pane.showError(error);
    } finally {
      select.disabled = false;
      select.blur(); // chosen: the refreshes that wait while a priority is being picked may go on
    }
  });
  return select;
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
