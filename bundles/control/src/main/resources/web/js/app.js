// The page: login, then the torrent list kept live by the event stream, with the toolbar, the
// details pane, the rate chart and the add dialog wired to it.

import { AddDialog } from './add.js';
import { api, describe, whenUnauthorized } from './api.js';
import { DetailsPane } from './details.js';
import { byId, h } from './dom.js';
import { EventStream } from './events.js';
import { LabelsDialog } from './labels.js';
import { SettingsDialog } from './settings.js';
import { rate } from './format.js';
import { RateChart } from './ratechart.js';
import { TorrentStore } from './store.js';
import { TorrentTable } from './table.js';

const NOTICE_MS = 10000;

const store = new TorrentStore();
let loggedIn = false;
let noticeTimer = null;

function showError(error) {
  byId('notice-text').textContent = describe(error);
  byId('notice').hidden = false;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => { byId('notice').hidden = true; }, NOTICE_MS);
}
byId('notice-close').addEventListener('click', () => { byId('notice').hidden = true; });

const table = new TorrentTable(byId('torrents'), byId('list-empty'), () => {
  details.show(selectedTorrent());
  updateActions();
});
const details = new DetailsPane({
  pane: byId('details'),
  name: byId('details-name'),
  meta: byId('details-meta'),
  body: byId('details-body'),
  tabs: [...document.querySelectorAll('#details [role=tab]')],
}, showError);
byId('details-close').addEventListener('click', () => table.select(null));

const chart = new RateChart(byId('rate-chart'));

const addDialog = new AddDialog({
  dialog: byId('add-dialog'),
  form: byId('add-form'),
  file: byId('add-file'),
  fileName: byId('add-file-name'),
  magnet: byId('add-magnet'),
  save: byId('add-save'),
  paused: byId('add-paused'),
  error: byId('add-error'),
  submit: byId('add-submit'),
  cancel: byId('add-cancel'),
}, (torrent) => {
  store.put(torrent);
  table.select(torrent.id);
});
addDialog.acceptDropsAndPastes(document, () => loggedIn);
byId('add-open').addEventListener('click', () => addDialog.open());

function selectedTorrent() {
  return table.selected == null ? null : store.get(table.selected) || null;
}

function updateActions() {
  const torrent = selectedTorrent();
  const state = torrent && torrent.state;
  byId('action-start').disabled = !torrent || !(state === 'stopped' || state === 'error');
  byId('action-stop').disabled = !torrent || state === 'stopped';
  byId('action-verify').disabled = !torrent || state === 'checking' || state === 'fetching_metadata';
  byId('action-remove').disabled = !torrent;
  byId('action-labels').disabled = !torrent;
}

const labelsDialog = new LabelsDialog({
  dialog: byId('labels-dialog'),
  form: byId('labels-form'),
  name: byId('labels-torrent'),
  input: byId('labels-input'),
  error: byId('labels-error'),
  save: byId('labels-save'),
  cancel: byId('labels-cancel'),
}, (id, labels) => store.update([{ id, labels }]));
byId('action-labels').addEventListener('click', () => {
  const torrent = selectedTorrent();
  if (torrent) labelsDialog.open(torrent);
});

/** The label filter offers every label some torrent has (and keeps the chosen one while none has it). */
function updateLabelFilter(torrents) {
  const select = byId('filter-label');
  const labels = new Set(torrents.flatMap((t) => t.labels || []));
  if (select.value) labels.add(select.value);
  const wanted = [...labels].sort();
  const have = [...select.options].slice(1).map((o) => o.value);
  if (wanted.join('\n') === have.join('\n')) return;
  const chosen = select.value;
  select.replaceChildren(select.options[0], ...wanted.map((label) => h('option', { value: label }, label)));
  select.value = chosen;
}

const settingsDialog = new SettingsDialog({
  dialog: byId('settings-dialog'),
  form: byId('settings-form'),
  fields: byId('settings-fields'),
  error: byId('settings-error'),
  save: byId('settings-save'),
  cancel: byId('settings-cancel'),
}, showTurtle);
byId('settings-open').addEventListener('click', () => settingsDialog.open());

/** The turtle badge in the header, from the settings (asked with the DHT's count, and after a save). */
function showTurtle(settings) {
  byId('turtle').hidden = !settings.altSpeedActive;
}

store.subscribe(() => {
  updateLabelFilter(store.all());
  table.render(store.all());
  details.show(selectedTorrent());
  updateActions();
});

for (const action of ['start', 'stop', 'verify']) {
  byId('action-' + action).addEventListener('click', async () => {
    const torrent = selectedTorrent();
    if (!torrent) return;
    try {
      store.put(await api[action](torrent.id));
    } catch (error) {
      showError(error);
    }
  });
}

byId('action-remove').addEventListener('click', () => {
  const torrent = selectedTorrent();
  if (!torrent) return;
  byId('remove-question').textContent = `Remove “${torrent.name}” from the list?`;
  byId('remove-data').checked = false;
  byId('remove-dialog').dataset.id = String(torrent.id);
  byId('remove-dialog').showModal();
});
byId('remove-cancel').addEventListener('click', () => byId('remove-dialog').close());
byId('remove-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const id = Number(byId('remove-dialog').dataset.id);
  byId('remove-dialog').close();
  try {
    await api.remove(id, byId('remove-data').checked);
    store.remove(id);
  } catch (error) {
    showError(error);
  }
});

const filterText = byId('filter-text');
const filterState = byId('filter-state');
const filterLabel = byId('filter-label');
const applyFilter = () => table.setFilter(filterText.value, filterState.value, filterLabel.value);
filterText.addEventListener('input', applyFilter);
filterState.addEventListener('change', applyFilter);
filterLabel.addEventListener('change', applyFilter);

const events = new EventStream({
  hello: ({ torrents }) => store.replaceAll(torrents),
  added: (torrent) => store.put(torrent),
  removed: ({ id }) => store.remove(id),
  state: ({ id, state }) => store.update([{ id, state }]),
  tick: ({ torrents }) => store.update(torrents),
  stats: (stats) => {
    byId('total-down').textContent = rate(stats.downloadRate);
    byId('total-up').textContent = rate(stats.uploadRate);
    byId('total-torrents').textContent = String(stats.torrents);
    byId('total-peers').textContent = String(stats.peers);
    chart.add(stats.downloadRate, stats.uploadRate);
    refreshDht();
  },
  status: (text) => {
    byId('connection').textContent = text;
    byId('connection').dataset.status = text;
  },
  closed: async () => {
    try {
      await api.resume(); // still logged in: the server was away, try again shortly
      events.reopenLater();
    } catch (error) {
      if (error.status !== 401) events.reopenLater(); // a 401 already sent us to the login form
    }
  },
});

/** The DHT's node count and the turtle badge in the header, asked at most every 10 s (the stats come every second). */
const DHT_REFRESH_MILLIS = 10_000;
let dhtAskedAt = -Infinity;
async function refreshDht() {
  if (Date.now() - dhtAskedAt < DHT_REFRESH_MILLIS) return;
  dhtAskedAt = Date.now();
  try {
    const dht = await api.dht();
    byId('total-dht').textContent = String(dht.ipv4.nodes + dht.ipv6.nodes);
  } catch (error) {
    byId('total-dht').textContent = error.status === 503 ? 'off' : '–';
  }
  try {
    showTurtle(await api.settings());
  } catch (error) {
    // the badge keeps its last state; the next refresh tries again
  }
}

function enterApp() {
  loggedIn = true;
  byId('login-view').hidden = true;
  byId('main-view').hidden = false;
  events.open();
}

function leaveApp(message) {
  loggedIn = false;
  events.close();
  table.select(null);
  store.replaceAll([]);
  byId('main-view').hidden = true;
  byId('login-view').hidden = false;
  byId('login-error').textContent = message;
  byId('login-error').hidden = !message;
  byId('login-token').value = '';
  byId('login-token').focus();
}

whenUnauthorized(() => {
  if (loggedIn) leaveApp('Your session has ended; log in again.');
});

byId('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  byId('login-submit').disabled = true;
  try {
    await api.login(byId('login-token').value.trim());
    byId('login-token').value = '';
    byId('login-error').hidden = true;
    enterApp();
  } catch (error) {
    byId('login-error').textContent = describe(error);
    byId('login-error').hidden = false;
  } finally {
    byId('login-submit').disabled = false;
  }
});

byId('logout').addEventListener('click', async () => {
  try {
    await api.logout();
  } catch (error) {
    // the page forgets the session either way; an unreachable server cannot be told
  }
  leaveApp('');
});

api.resume().then(enterApp, (error) => leaveApp(error.status === 401 ? '' : describe(error)));
