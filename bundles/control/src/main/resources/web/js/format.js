// How numbers look on the page: binary units, rates, durations, states.

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

export function bytes(count) {
  if (count == null) return '–';
  let value = count;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

/** A rate in bytes per second; nothing moving shows as a dash, so busy rows stand out. */
export function rate(bytesPerSecond) {
  return bytesPerSecond > 0 ? `${bytes(bytesPerSecond)}/s` : '–';
}

export function percent(fraction) {
  const value = Math.max(0, Math.min(1, fraction || 0)) * 100;
  return value === 100 ? '100 %' : `${value.toFixed(1)} %`;
}

export function duration(seconds) {
  if (seconds == null || !Number.isFinite(seconds)) return '–';
  if (seconds < 60) return `${Math.round(seconds)}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${Math.round(seconds % 60)}s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h ${minutes % 60}m`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

export function ratio(value) {
  return value == null ? '–' : value.toFixed(2);
}

const STATE_LABELS = {
  fetching_metadata: 'Fetching metadata',
  checking: 'Checking',
  moving: 'Moving data',
  downloading: 'Downloading',
  seeding: 'Seeding',
  queued: 'Queued',
  stopped: 'Stopped',
  error: 'Error',
};

export function stateLabel(state) {
  return STATE_LABELS[state] || state;
}

/** States in which the torrent moves data or works on it. */
export function isActive(state) {
  return state === 'downloading' || state === 'seeding' || state === 'checking' || state === 'fetching_metadata'
    || state === 'moving';
}

export function timestamp(iso) {
  return iso ? new Date(iso).toLocaleString() : '–';
}
