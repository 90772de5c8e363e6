import { h } from '../dom.js';

// SIM management (issue 8, part 2): to be built.
export const routes = [{ pattern: /^#\/sims$/, render }];

async function render(view) {
  view.append(h('h1', { 'data-i18n': 'sims.title' }));
}
