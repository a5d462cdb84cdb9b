// A tiny element builder: user text only ever goes in as text, never as HTML.
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) element.addEventListener(key.slice(2).toLowerCase(), value);
    else if (key === 'class') element.className = value;
    else if (key in element && typeof value !== 'string') element[key] = value;
    else element.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

/** A message area that announces itself to screen readers. */
export function alertBox() {
  return h('p', { class: 'error', role: 'alert' });
}

export function field(label, input) {
  return h('label', { class: 'field' }, h('span', {}, label), input);
}
