// The torrents the page knows of, kept current by the event stream (docs/api.md, "Events").

export class TorrentStore {
  constructor() {
    this.torrents = new Map();
    this.listeners = [];
  }

  /** Calls {@code listener(store)} after every change. */
  subscribe(listener) {
    this.listeners.push(listener);
  }

  get(id) {
    return this.torrents.get(id);
  }

  all() {
    return [...this.torrents.values()];
  }

  replaceAll(torrents) {
    this.torrents = new Map(torrents.map((torrent) => [torrent.id, torrent]));
    this.changed();
  }

  /** A whole torrent (added, or answered by an action): replaces what we had. */
  put(torrent) {
    this.torrents.set(torrent.id, { ...this.torrents.get(torrent.id), ...torrent });
    this.changed();
  }

  remove(id) {
    this.torrents.delete(id);
    this.changed();
  }

  /** Partial updates (tick, state): only torrents we know, only the fields given. */
  update(partials) {
    for (const partial of partials) {
      const known = this.torrents.get(partial.id);
      if (known) this.torrents.set(partial.id, { ...known, ...partial });
    }
    this.changed();
  }

  changed() {
    for (const listener of this.listeners) listener(this);
  }
}
