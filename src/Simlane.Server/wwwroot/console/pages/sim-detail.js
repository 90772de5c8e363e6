import { h } from '../dom.js';

// SIM detail (issue 8, part 3): to be built.
export const routes = [{ pattern: /^#\/sims\/([^/]+)$/, render }];

async function render(view, match) {
  view.append(h('h1', {}, decodeURIComponent(match[1])));
}
