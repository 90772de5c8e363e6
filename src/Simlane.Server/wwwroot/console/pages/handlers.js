import { h } from '../dom.js';

// Event handler list, history, ignore (issue 8, part 4): to be built.
export const routes = [{ pattern: /^#\/handlers$/, render }];

async function render(view) {
  view.append(h('h1', { 'data-i18n': 'handlers.title' }));
}
