// Adding torrents: the Add dialog, a .torrent dropped anywhere on the page, or a magnet link pasted
// anywhere outside a text field. Dropping or pasting opens the dialog filled in, so the save
// directory and "paused" can still be chosen.

import { api, describe } from './api.js';

export class AddDialog {
  /** onAdded(torrent) after the server took it. */
  constructor(elements, onAdded) {
    this.el = elements;
    this.onAdded = onAdded;
    this.droppedFile = null;
    this.el.cancel.addEventListener('click', () => this.el.dialog.close());
    this.el.form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.submit();
    });
    this.el.file.addEventListener('change', () => {
      this.droppedFile = null;
      if (this.el.file.files.length) this.el.magnet.value = '';
    });
    this.el.magnet.addEventListener('input', () => {
      if (this.el.magnet.value) this.clearFile();
    });
  }

  /** Listens for drops and pastes on {@code target} (the page, once logged in). */
  acceptDropsAndPastes(target, isActive) {
    target.addEventListener('dragover', (event) => {
      if (!isActive() || !hasFiles(event)) return;
      event.preventDefault();
      document.body.classList.add('dropping');
    });
    target.addEventListener('dragleave', (event) => {
      if (event.relatedTarget === null) document.body.classList.remove('dropping');
    });
    target.addEventListener('drop', (event) => {
      document.body.classList.remove('dropping');
      if (!isActive() || !hasFiles(event)) return;
      event.preventDefault();
      const file = [...event.dataTransfer.files].find((f) => f.name.toLowerCase().endsWith('.torrent'));
      if (file) this.open({ file });
      else this.open({ error: 'Only .torrent files can be dropped here.' });
    });
    target.addEventListener('paste', (event) => {
      const text = event.clipboardData.getData('text').trim();
      const inField = event.target instanceof Element && event.target.closest('input, textarea, select');
      if (!isActive() || inField || !text.toLowerCase().startsWith('magnet:')) return;
      event.preventDefault();
      this.open({ magnet: text });
    });
  }

  async open({ file = null, magnet = '', error = '' } = {}) {
    this.el.form.reset();
    this.droppedFile = file;
    this.el.magnet.value = magnet;
    this.el.fileName.textContent = file ? `Dropped: ${file.name}` : '';
    this.el.fileName.hidden = !file;
    this.setError(error);
    this.el.submit.disabled = false;
    this.el.dialog.showModal();
    try {
      const settings = await api.settings();
      this.el.save.placeholder = settings.defaultSaveDirectory;
    } catch (e) {
      // the placeholder is a hint only; the server still knows its default
    }
  }

  clearFile() {
    this.droppedFile = null;
    this.el.file.value = '';
    this.el.fileName.hidden = true;
  }

  async submit() {
    const file = this.droppedFile || this.el.file.files[0] || null;
    const magnet = this.el.magnet.value.trim();
    if (!file && !magnet) {
      this.setError('Choose a .torrent file, or paste a magnet link or a .torrent URL.');
      return;
    }
    this.el.submit.disabled = true;
    try {
      const torrent = await api.add({
        file, magnet, saveDirectory: this.el.save.value.trim(), paused: this.el.paused.checked,
      });
      this.el.dialog.close();
      this.onAdded(torrent);
    } catch (error) {
      this.setError(describe(error));
    } finally {
      this.el.submit.disabled = false;
    }
  }

  setError(message) {
    this.el.error.textContent = message;
    this.el.error.hidden = !message;
  }
}

function hasFiles(event) {
  return event.dataTransfer && [...event.dataTransfer.types].includes('Files');
}
