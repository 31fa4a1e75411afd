// The torrent table: one row per torrent, kept by id and updated in place, sortable by any column,
// filtered by text, state and label.

import { h, progressBar, setProgress } from './dom.js';
import { bytes, duration, isActive, percent, rate, ratio, stateLabel } from './format.js';

const text = (value) => (cell) => { cell.textContent = value; };

/** key: sort key and CSS class; narrow: hidden in a narrow window. */
const COLUMNS = [
  { key: 'name', label: 'Name', sort: (t) => t.name.toLowerCase(), render: (t) => text(t.name) },
  { key: 'size', label: 'Size', numeric: true, narrow: true, sort: (t) => t.wantedBytes, render: (t) => text(bytes(t.wantedBytes)) },
  {
    key: 'progress', label: 'Progress', sort: (t) => t.progress,
    render: (t) => (cell) => {
      if (!cell.firstChild) cell.append(progressBar(0), ' ', h('span', { className: 'bar-label' }));
      setProgress(cell.firstChild, t.progress, t.state);
      cell.lastChild.textContent = percent(t.progress);
    },
  },
  {
    key: 'state', label: 'State', sort: (t) => t.state,
    render: (t) => (cell) => {
      cell.textContent = stateLabel(t.state);
      cell.dataset.state = t.state;
      cell.title = t.error || '';
    },
  },
  { key: 'down', label: 'Down', numeric: true, sort: (t) => t.downloadRate, render: (t) => text(rate(t.downloadRate)) },
  { key: 'up', label: 'Up', numeric: true, sort: (t) => t.uploadRate, render: (t) => text(rate(t.uploadRate)) },
  { key: 'peers', label: 'Peers', numeric: true, narrow: true, sort: (t) => t.peers, render: (t) => text(`${t.peers} (${t.seeds})`) },
  { key: 'eta', label: 'ETA', numeric: true, narrow: true, sort: (t) => t.eta ?? Infinity, render: (t) => text(duration(t.eta)) },
  { key: 'ratio', label: 'Ratio', numeric: true, narrow: true, sort: (t) => t.ratio, render: (t) => text(ratio(t.ratio)) },
  {
    key: 'labels', label: 'Labels', narrow: true, sort: (t) => (t.labels || []).join(','),
    render: (t) => (cell) => {
      const labels = t.labels || [];
      if (cell.dataset.labels === labels.join(',')) return;
      cell.dataset.labels = labels.join(',');
      cell.replaceChildren(...labels.map((label) => h('span', { className: 'chip' }, label)));
    },
  },
];

export class TorrentTable {
  /** onSelect(id or null) when the selected row changes. */
  constructor(table, emptyNote, onSelect) {
    this.body = table.tBodies[0];
    this.emptyNote = emptyNote;
    this.onSelect = onSelect;
    this.rows = new Map();
    this.sortKey = 'name';
    this.ascending = true;
    this.filterText = '';
    this.filterState = '';
    this.filterLabel = '';
    this.selected = null;
    this.headers = COLUMNS.map((column) => this.header(column));
    table.tHead.rows[0].append(...this.headers);
    this.body.addEventListener('click', (event) => {
      const row = event.target.closest('tr');
      if (row) this.select(Number(row.dataset.id));
    });
    this.body.addEventListener('keydown', (event) => {
      const row = event.target.closest('tr');
      if (row && (event.key === 'Enter' || event.key === ' ')) {
        event.preventDefault();
        this.select(Number(row.dataset.id));
      }
    });
    this.markSorted();
  }

  header(column) {
    const button = h('button', { type: 'button', textContent: column.label });
    button.addEventListener('click', () => {
      this.ascending = this.sortKey === column.key ? !this.ascending : !column.numeric;
      this.sortKey = column.key;
      this.markSorted();
      this.render(this.lastTorrents || []);
    });
    return h('th', { scope: 'col', className: classes(column), dataset: { key: column.key } }, button);
  }

  markSorted() {
    for (const th of this.headers) {
      th.setAttribute('aria-sort', th.dataset.key !== this.sortKey ? 'none' : this.ascending ? 'ascending' : 'descending');
    }
  }

  setFilter(textFilter, stateFilter, labelFilter = '') {
    this.filterText = textFilter.trim().toLowerCase();
    this.filterState = stateFilter;
    this.filterLabel = labelFilter;
    this.render(this.lastTorrents || []);
  }

  select(id) {
    this.selected = id;
    for (const [rowId, row] of this.rows) row.setAttribute('aria-selected', String(rowId === id));
    this.onSelect(id);
  }

  render(torrents) {
    this.lastTorrents = torrents;
    const column = COLUMNS.find((c) => c.key === this.sortKey);
    const shown = torrents.filter((t) => this.matches(t)).sort((a, b) => {
      const x = column.sort(a);
      const y = column.sort(b);
      const order = x < y ? -1 : x > y ? 1 : a.id - b.id;
      return this.ascending ? order : -order;
    });
    const shownIds = new Set(shown.map((t) => t.id));
    for (const [id, row] of this.rows) {
      if (!shownIds.has(id)) {
        row.remove();
        this.rows.delete(id);
      }
    }
    for (const torrent of shown) {
      const row = this.rows.get(torrent.id) || this.newRow(torrent.id);
      COLUMNS.forEach((c, i) => c.render(torrent)(row.cells[i]));
      this.body.append(row); // appending an attached row moves it: the rows end up in sort order
    }
    if (this.selected != null && !torrents.some((t) => t.id === this.selected)) this.select(null);
    this.emptyNote.hidden = shown.length > 0;
    this.emptyNote.textContent = torrents.length === 0 ? 'No torrents yet.' : 'No torrent matches the filter.';
  }

  newRow(id) {
    const row = h('tr', { dataset: { id: String(id) }, tabIndex: 0, 'aria-selected': String(id === this.selected) },
      ...COLUMNS.map((column) => h('td', { className: classes(column) })));
    this.rows.set(id, row);
    return row;
  }

  matches(torrent) {
    if (this.filterState === 'active' ? !isActive(torrent.state) : this.filterState && torrent.state !== this.filterState) {
      return false;
    }
    if (this.filterLabel && !(torrent.labels || []).includes(this.filterLabel)) return false;
    return !this.filterText || torrent.name.toLowerCase().includes(this.filterText)
      || torrent.infoHash.startsWith(this.filterText);
  }
}

function classes(column) {
  return ['col-' + column.key, column.numeric ? 'num' : '', column.narrow ? 'wide-only' : ''].filter(Boolean).join(' ');
}
