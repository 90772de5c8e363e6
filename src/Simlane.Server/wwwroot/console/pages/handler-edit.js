import { h } from '../dom.js';

// Event handler create/edit form per rule type, actions editor, dry run (issue 8, part 4): to be built.
export const routes = [{ pattern: /^#\/handlers\/(new|[^/]+)$/, render }];

async function render(view) {
  view.append(h('h1', { 'data-i18n': 'handlers.edit' }));
}
