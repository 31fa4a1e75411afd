// A torrent's labels: edited as one comma-separated list, sent as the labels to add and to remove
// (PATCH /api/v1/torrents/{id}/labels); the server checks each name and says which it refuses.

import { api, describe } from './api.js';

export function parseLabels(text) {
  return [...new Set(text.split(',').map((label) => label.trim()).filter(Boolean))];
}

export class LabelsDialog {
  /** onSaved(id, labels) after the server took the change. */
  constructor(elements, onSaved) {
    this.el = elements;
    this.onSaved = onSaved;
    this.torrent = null;
    this.el.cancel.addEventListener('click', () => this.el.dialog.close());
    this.el.form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.save();
    });
  }

  open(torrent) {
    this.torrent = torrent;
    this.el.name.textContent = torrent.name;
    this.el.input.value = (torrent.labels || []).join(', ');
    this.setError('');
    this.el.dialog.showModal();
    this.el.input.focus();
  }

  async save() {
    const before = this.torrent.labels || [];
    const after = parseLabels(this.el.input.value);
    const add = after.filter((label) => !before.includes(label));
    const remove = before.filter((label) => !after.includes(label));
    this.el.save.disabled = true;
    try {
      const answer = await api.changeLabels(this.torrent.id, add, remove);
      this.el.dialog.close();
      this.onSaved(this.torrent.id, answer.labels);
    } catch (error) {
      this.setError(describe(error));
    } finally {
      this.el.save.disabled = false;
    }
  }

  setError(message) {
    this.el.error.textContent = message;
    this.el.error.hidden = !message;
  }
}
