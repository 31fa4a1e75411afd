// The server's event stream (GET /api/v1/events). The browser's EventSource reconnects by itself
// after a dropped connection; when the server refuses the stream (the session ended) it gives up,
// and so do we after telling the page.

const RETRY_MS = 3000;

export class EventStream {
  /** handlers: {hello, added, removed, state, tick, stats, status(text), closed()} */
  constructor(handlers) {
    this.handlers = handlers;
    this.source = null;
    this.retry = null;
  }

  open() {
    this.close();
    const source = new EventSource('/api/v1/events');
    this.source = source;
    for (const type of ['hello', 'added', 'removed', 'state', 'tick', 'stats']) {
      source.addEventListener(type, (event) => this.handlers[type](JSON.parse(event.data)));
    }
    source.addEventListener('open', () => this.handlers.status('live'));
    source.addEventListener('error', () => {
      if (source.readyState === EventSource.CLOSED) {
        // refused (401 after a logout or restart, 429 too many streams): ask whether we may retry
        this.handlers.status('offline');
        this.handlers.closed();
      } else {
        this.handlers.status('reconnecting…');
      }
    });
  }

  /** Tries again later (the server may be restarting). */
  reopenLater() {
    clearTimeout(this.retry);
    this.retry = setTimeout(() => this.open(), RETRY_MS);
  }

  close() {
    clearTimeout(this.retry);
    if (this.source) this.source.close();
    this.source = null;
  }
}
