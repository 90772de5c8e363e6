import { h } from '../dom.js';

// Usage and billing (issue 8, part 5): to be built.
export const routes = [{ pattern: /^#\/usage$/, render }];

async function render(view) {
  view.append(h('h1', { 'data-i18n': 'usage.title' }));
}
