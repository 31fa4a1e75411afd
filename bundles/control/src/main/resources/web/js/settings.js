// The settings dialog: built from what GET /api/v1/settings returns, so a setting the server adds
// later shows up without a change here (a number, a switch or a text by its JSON type); the keys we
// know get a label, a group and, for rates, KiB/s, or a list to choose from (encryption). Save sends
// only what changed (PATCH) and shows the API's refusal as it is, marking the field it names.

import { api, describe } from './api.js';
import { h } from './dom.js';

const KIB = 1024;

/** What we know of the server's settings; anything else is shown under "Other" with its key. */
const KNOWN = {
  downloadRateLimit: { group: 'Speed', label: 'Download limit', rate: true },
  uploadRateLimit: { group: 'Speed', label: 'Upload limit', rate: true },
  altSpeedEnabled: { group: 'Turtle mode', label: 'On now (whatever the schedule says)' },
  altDownloadRateLimit: { group: 'Turtle mode', label: 'Turtle download limit', rate: true },
  altUploadRateLimit: { group: 'Turtle mode', label: 'Turtle upload limit', rate: true },
  altSpeedSchedule: {
    group: 'Turtle mode', label: 'Schedule (server time)', placeholder: 'mon-fri 09:00-17:00; sat,sun 00:00-24:00',
  },
  altSpeedActive: { group: 'Turtle mode', label: 'In force now', readOnly: true },
  maxConnections: { group: 'Connections', label: 'Connections, all torrents', min: 1 },
  maxConnectionsPerTorrent: { group: 'Connections', label: 'Connections per torrent', min: 1 },
  defaultSaveDirectory: { group: 'Folders', label: 'Default save directory' },
  watchDirectory: { group: 'Watch folder', label: 'Watch folder (empty: off)', placeholder: '/srv/torrents/watch' },
  watchSaveDirectory: { group: 'Watch folder', label: 'Save its torrents in (empty: the default)' },
  watchPaused: { group: 'Watch folder', label: 'Add them stopped' },
  encryption: {
    group: 'Connections', label: 'Encryption', choices: ['disabled', 'enabled', 'preferred', 'required'],
  },
};
const GROUPS = ['Speed', 'Turtle mode', 'Connections', 'Folders', 'Watch folder', 'Seeding', 'Other'];

/** seedRatioLimit → "Seed ratio limit": a readable label for a key we do not know. */
function humanize(key) {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function describeKey(key, value) {
  const known = KNOWN[key];
  if (known) return known;
  const group = /^seed/i.test(key) ? 'Seeding' : 'Other';
  return { group, label: humanize(key), rate: typeof value === 'number' && /RateLimit$/.test(key) };
}

export class SettingsDialog {
  /** onSaved(settings) after the server took a change. */
  constructor(elements, onSaved) {
    this.el = elements;
    this.onSaved = onSaved;
    this.fields = new Map(); // key → { input, read(), original }
    this.el.cancel.addEventListener('click', () => this.el.dialog.close());
    this.el.form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.save();
    });
  }

  async open() {
    this.setError('');
    this.el.fields.replaceChildren(h('p', { className: 'muted' }, 'Loading…'));
    this.el.save.disabled = true;
    this.el.dialog.showModal();
    try {
      this.render(await api.settings());
      this.el.save.disabled = false;
    } catch (error) {
      this.el.fields.replaceChildren();
      this.setError(describe(error));
    }
  }

  render(settings) {
    this.fields.clear();
    const groups = new Map();
    for (const [key, value] of Object.entries(settings)) {
      const meta = describeKey(key, value);
      if (!groups.has(meta.group)) groups.set(meta.group, []);
      groups.get(meta.group).push(this.field(key, value, meta));
    }
    const order = (g) => (GROUPS.includes(g) ? GROUPS.indexOf(g) : GROUPS.length);
    this.el.fields.replaceChildren(...[...groups.keys()].sort((a, b) => order(a) - order(b)).map((group) =>
      h('fieldset', { dataset: { group } }, h('legend', {}, group), ...groups.get(group))));
  }

  field(key, value, meta) {
    const id = `setting-${key}`;
    const label = h('label', { htmlFor: id }, meta.label);
    if (meta.readOnly || (value !== null && typeof value === 'object')) {
      const shown = typeof value === 'boolean' ? (value ? 'yes' : 'no') : JSON.stringify(value);
      return h('div', { className: 'field' }, label, h('span', { id, className: 'readonly', dataset: { key } }, shown));
    }
    let input;
    let read;
    let control;
    if (typeof value === 'boolean') {
      input = h('input', { id, type: 'checkbox', checked: value, dataset: { key } });
      read = () => input.checked;
      control = input;
    } else if (typeof value === 'number') {
      const shown = meta.rate ? value / KIB : value;
      input = h('input', {
        id, type: 'number', min: String(meta.min ?? 0), step: 'any', value: String(shown), dataset: { key },
      });
      // an empty or unreadable number goes to the server as text, so its refusal explains it
      read = () => {
        if (input.value.trim() === '' || !Number.isFinite(input.valueAsNumber)) return input.value;
        return meta.rate ? Math.round(input.valueAsNumber * KIB) : input.valueAsNumber;
      };
      control = meta.rate
        ? h('span', { className: 'unit' }, input, h('span', { className: 'muted' }, 'KiB/s (0: unlimited)'))
        : input;
    } else if (meta.choices && meta.choices.includes(value)) {
      input = h('select', { id, dataset: { key } },
        ...meta.choices.map((choice) => h('option', { value: choice, selected: choice === value }, choice)));
      read = () => input.value;
      control = input;
    } else {
      input = h('input', { id, type: 'text', value: value ?? '', spellcheck: false, dataset: { key } });
      if (meta.placeholder) input.placeholder = meta.placeholder;
      read = () => input.value.trim();
      control = input;
    }
    input.addEventListener('input', () => input.removeAttribute('aria-invalid'));
    this.fields.set(key, { input, read, original: value });
    return h('div', { className: 'field' }, label, control);
  }

  changes() {
    const changed = {};
    for (const [key, field] of this.fields) {
      const value = field.read();
      const unset = field.original === null && value === ''; // a null setting shown as an empty field
      if (value !== field.original && !unset) changed[key] = value;
    }
    return changed;
  }

  async save() {
    const changed = this.changes();
    for (const field of this.fields.values()) field.input.removeAttribute('aria-invalid');
    if (Object.keys(changed).length === 0) {
      this.el.dialog.close();
      return;
    }
    this.el.save.disabled = true;
    try {
      const settings = await api.updateSettings(changed);
      this.el.dialog.close();
      this.onSaved(settings);
    } catch (error) {
      this.setError(describe(error));
      // the API's messages start with the field they are about
      const key = Object.keys(changed).find((k) => error.message && error.message.startsWith(k));
      if (key) {
        this.fields.get(key).input.setAttribute('aria-invalid', 'true');
        this.fields.get(key).input.focus();
      }
    } finally {
      this.el.save.disabled = false;
    }
  }

  setError(message) {
    this.el.error.textContent = message;
    this.el.error.hidden = !message;
  }
}
