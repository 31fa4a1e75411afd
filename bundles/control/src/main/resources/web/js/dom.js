// Building elements from data, never from markup strings, so nothing the API returns is parsed as HTML.

/** h('td', {className: 'num', title: 'x'}, 'text', childElement) */
export function h(tag, properties = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(properties)) {
    if (key === 'dataset') Object.assign(element.dataset, value);
    else if (key.startsWith('aria-') || key === 'role') element.setAttribute(key, value);
    else element[key] = value;
  }
  element.append(...children.filter((child) => child != null));
  return element;
}

export function byId(id) {
  return document.getElementById(id);
}

/** A progress bar whose value a test (or a screen reader) can read from aria-valuenow. */
export function progressBar(fraction, state) {
  const fill = h('span', { className: 'bar-fill' });
  const bar = h('span', { className: 'bar', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100' }, fill);
  setProgress(bar, fraction, state);
  return bar;
}

export function setProgress(bar, fraction, state) {
  const value = Math.max(0, Math.min(1, fraction || 0)) * 100;
  bar.setAttribute('aria-valuenow', value.toFixed(1));
  bar.dataset.state = state || '';
  bar.firstChild.style.width = `${value}%`;
}
