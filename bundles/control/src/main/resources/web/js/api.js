// The JSON API (docs/api.md) as the browser uses it: a session cookie set by login, and the
// session's CSRF token on every request that changes something.

/** A refusal from the API, or a server that does not answer (status 0). */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** How an error reads on the page: the API's message, and its code for reference. */
export function describe(error) {
  return error.code ? `${error.message} (${error.code})` : error.message;
}

const BASE = '/api/v1';
let csrfToken = null;
let onUnauthorized = () => {};

/** Called when a request finds the session gone (expired, or the server restarted). */
export function whenUnauthorized(callback) {
  onUnauthorized = callback;
}

async function call(method, path, { json, body } = {}) {
  const headers = {};
  let payload = body;
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(json);
  }
  if (method !== 'GET' && csrfToken) {
    headers['X-CSRF-Token'] = csrfToken;
  }
  let response;
  try {
    response = await fetch(BASE + path, { method, headers, body: payload, credentials: 'same-origin' });
  } catch (e) {
    throw new ApiError(0, 'unreachable', 'The server does not answer. Is it still running?');
  }
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch (e) {
    data = null;
  }
  if (!response.ok) {
    const error = data && data.error ? data.error : {};
    const failure = new ApiError(response.status, error.code || 'http_' + response.status,
      error.message || `${response.status} ${response.statusText}`);
    if (response.status === 401 && path !== '/login') {
      csrfToken = null;
      onUnauthorized(failure);
    }
    throw failure;
  }
  return data;
}

const torrentPath = (id) => `/torrents/${encodeURIComponent(id)}`;

export const api = {
  async login(token) {
    const answer = await call('POST', '/login', { json: { token } });
    csrfToken = answer.csrfToken;
  },
  async logout() {
    try {
      await call('POST', '/logout');
    } finally {
      csrfToken = null;
    }
  },
  /** Resumes a session the browser still holds a cookie for; throws ApiError 401 when there is none. */
  async resume() {
    const session = await call('GET', '/session');
    csrfToken = session.csrfToken || null;
  },
  torrents: () => call('GET', '/torrents'),
  /** {file | magnet, saveDirectory, paused}: a .torrent goes as multipart, a magnet link or a URL as JSON. */
  add({ file, magnet, saveDirectory, paused }) {
    if (file) {
      const form = new FormData();
      form.append('torrent', file, file.name);
      if (saveDirectory) form.append('saveDirectory', saveDirectory);
      form.append('paused', paused ? 'true' : 'false');
      return call('POST', '/torrents', { body: form });
    }
    // a .torrent's http(s) URL is fetched by the server
    const request = /^https?:\/\//i.test(magnet) ? { url: magnet, paused } : { magnet, paused };
    if (saveDirectory) request.saveDirectory = saveDirectory;
    return call('POST', '/torrents', { json: request });
  },
  start: (id) => call('POST', `${torrentPath(id)}/start`),
  stop: (id) => call('POST', `${torrentPath(id)}/stop`),
  verify: (id) => call('POST', `${torrentPath(id)}/verify`),
  remove: (id, deleteData) => call('DELETE', `${torrentPath(id)}?deleteData=${deleteData ? 'true' : 'false'}`),
  files: (id) => call('GET', `${torrentPath(id)}/files`),
  setPriority: (id, indexes, priority) => call('PATCH', `${torrentPath(id)}/files`, { json: { indexes, priority } }),
  peers: (id) => call('GET', `${torrentPath(id)}/peers`),
  trackers: (id) => call('GET', `${torrentPath(id)}/trackers`),
  pieces: (id) => call('GET', `${torrentPath(id)}/pieces`),
  settings: () => call('GET', '/settings'),
  /** Only the keys given change; the answer is every setting as it is now. */
  updateSettings: (changed) => call('PATCH', '/settings', { json: changed }),
  changeLabels: (id, add, remove) => call('PATCH', `${torrentPath(id)}/labels`, { json: { add, remove } }),
  /** The DHT node's status; ApiError 503 while the DHT plugin is not installed. */
  dht: () => call('GET', '/dht'),
};
