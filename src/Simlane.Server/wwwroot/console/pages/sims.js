// SIM management (issue 8, part 2): a paged, searchable list of the operator's SIMs with filters, bulk actions
// applied per SIM through the public API (results per SIM), and the termination dialog.
import * as api from '../api.js';
import { t, formatTime } from '../i18n.js';
import { h } from '../dom.js';

export const routes = [{ pattern: /^#\/sims$/, render }];

export const STATUSES = ['ready', 'active', 'inactive', 'standby', 'suspended', 'terminated'];
const SPEED_CLASSES = ['s1.minimum', 's1.slow', 's1.standard', 's1.fast', 's1.4xfast', 's1.8xfast', 'u1.standard', 'u1.slow'];
const EXPIRY_ACTIONS = ['doNothing', 'deleteSession', 'deactivate', 'suspend', 'terminate'];
const PAGE_SIZES = [10, 25, 50, 100];

// Every bulk action is one API call per SIM; `fields` builds the dialog's inputs and answers a function that reads
// them into the request body (or throws a translated message when they are incomplete).
const ACTIONS = [
  { id: 'activate', path: 'activate' },
  { id: 'deactivate', path: 'deactivate' },
  { id: 'standby', path: 'set_to_standby' },
  { id: 'suspend', path: 'suspend' },
  { id: 'speedClass', path: 'update_speed_class', fields: speedClassFields },
  { id: 'setGroup', path: 'set_group', fields: groupFields },
  { id: 'unsetGroup', path: 'unset_group' },
  { id: 'setImeiLock', path: 'set_imei_lock', fields: imeiFields },
  { id: 'unsetImeiLock', path: 'unset_imei_lock' },
  { id: 'setExpiry', path: 'set_expiry_time', fields: expiryFields },
  { id: 'unsetExpiry', path: 'unset_expiry_time' },
  { id: 'protectionOn', path: 'disable_termination' },
  { id: 'protectionOff', path: 'enable_termination' },
  { id: 'terminate' },
];

// The list's state lives as long as the tab, so coming back from a SIM's detail keeps the filters.
const state = {
  filters: { searchBy: 'name', search: '', status: '', group: '', tag: '', hideTerminated: false },
  limit: 25,
  keys: [null], // the last_evaluated_key of each page visited so far (null: the first page)
};
let groups = [];

/** The SIM's name tag ('' when it has none). */
export function simName(sim) { return (sim.tags && sim.tags.name) || ''; }

/** The primary IMSI of the SIM's active profile. */
export function primaryImsi(sim) {
  const profile = sim.profiles && sim.profiles[sim.activeProfileId];
  return (profile && profile.primaryImsi) || (sim.sessionStatus && sim.sessionStatus.imsi) || '';
}

/** Termination protection is on when termination is not enabled (SORACOM's terminationEnabled false). */
export function isProtected(sim) { return !sim.terminationEnabled; }

export function statusBadge(status) {
  return h('span', { class: `status status-${status}`, 'data-status': status }, t(`sims.status.${status}`));
}

export function protectionBadge(sim) {
  const on = isProtected(sim);
  return h('span', { class: `protection protection-${on ? 'on' : 'off'}`, 'data-protection': on ? 'on' : 'off' }, t(on ? 'sims.protection.on' : 'sims.protection.off'));
}

export function groupLabel(groupId) {
  if (!groupId) return '—';
  const g = groups.find(x => x.groupId === groupId);
  return (g && g.tags && g.tags.name) || groupId;
}

export async function loadGroups() {
  groups = await api.all('/groups');
  return groups;
}

/** An API error as a translated label, with the server's raw code and message beside it. */
export function errorResult(e) {
  const code = e.code || `HTTP ${e.status || ''}`.trim();
  const key = `sims.error.${e.code}`;
  const label = e.code && t(key) !== key ? t(key) : t('sims.error.unknown');
  return h('span', { class: 'result error', 'data-result': 'error', 'data-code': code },
    `✗ ${label} `, h('code', {}, code), e.message && e.message !== e.code ? h('span', { class: 'muted server-message' }, ` — ${e.message}`) : null);
}

export function okResult(text) {
  return h('span', { class: 'result ok', 'data-result': 'ok' }, `✓ ${text}`);
}

/** The query for /v1/query/sims from the filters; null when no filter is set (then /v1/sims lists everything). */
function searchQuery() {
  const f = state.filters;
  const q = {};
  if (f.search) q[f.searchBy] = f.search;
  if (f.status) q.status = f.status;
  else if (f.hideTerminated) q.status = STATUSES.filter(s => s !== 'terminated').join(',');
  if (f.group) q.group_id = f.group;
  if (f.tag) q.tag = f.tag;
  return Object.keys(q).length ? { ...q, search_type: 'and' } : null;
}

/**
 * /v1/query/sims matches status and group ID partially ("active" also finds "inactive"), so the page is narrowed
 * to exact matches here; a page may then hold fewer rows than the page size, and paging still follows the server.
 */
function exact(sims) {
  const f = state.filters;
  return sims.filter(s => (!f.status || s.status === f.status)
    && (!f.hideTerminated || s.status !== 'terminated')
    && (!f.group || s.groupId === f.group));
}

/** A search value must be 2 characters or more and hold no comma (the query API splits values at commas). */
function validSearchValue(value) { return value === '' || (value.length >= 2 && !value.includes(',')); }

async function render(view) {
  state.keys = [null];
  await loadGroups();

  const f = state.filters;
  const message = h('p', { id: 'sims-message', role: 'alert', class: 'error', hidden: true });
  const searchBy = h('select', { id: 'sims-search-by', 'aria-label': t('sims.search.by') },
    ['name', 'imsi', 'sim_id'].map(v => h('option', { value: v, selected: v === f.searchBy }, t(`sims.search.by.${v}`))));
  const search = h('input', { id: 'sims-search', type: 'search', value: f.search, placeholder: t('sims.search.placeholder'), 'aria-label': t('sims.search.placeholder') });
  const status = h('select', { id: 'sims-filter-status', 'aria-label': t('sims.filter.status') },
    h('option', { value: '' }, t('sims.filter.anyStatus')),
    STATUSES.map(s => h('option', { value: s, selected: s === f.status }, t(`sims.status.${s}`))));
  const group = h('select', { id: 'sims-filter-group', 'aria-label': t('sims.filter.group') },
    h('option', { value: '' }, t('sims.filter.anyGroup')),
    groups.map(g => h('option', { value: g.groupId, selected: g.groupId === f.group }, groupLabel(g.groupId))));
  const tag = h('input', { id: 'sims-filter-tag', type: 'search', value: f.tag, placeholder: t('sims.filter.tag'), 'aria-label': t('sims.filter.tag') });
  const hide = h('input', { id: 'sims-hide-terminated', type: 'checkbox', checked: f.hideTerminated });
  const pageSize = h('select', { id: 'sims-page-size', 'aria-label': t('sims.paging.size') },
    PAGE_SIZES.map(n => h('option', { value: n, selected: n === state.limit }, t('sims.paging.perPage', { n }))));

  const apply = () => {
    const values = { search: search.value.trim(), tag: tag.value.trim() };
    if (!validSearchValue(values.search) || !validSearchValue(values.tag)) {
      message.textContent = t('sims.search.tooShort');
      message.hidden = false;
      return;
    }
    Object.assign(f, values, { searchBy: searchBy.value, status: status.value, group: group.value, hideTerminated: hide.checked });
    state.limit = Number(pageSize.value);
    state.keys = [null];
    load();
  };
  const filters = h('form', { class: 'toolbar sims-filters', id: 'sims-filters', role: 'search', onsubmit: e => { e.preventDefault(); apply(); } },
    searchBy, search, status, group, tag,
    h('label', { class: 'inline' }, hide, ' ', t('sims.filter.hideTerminated')),
    h('button', { type: 'submit', id: 'sims-search-submit' }, t('sims.search.submit')),
    h('button', {
      type: 'button', id: 'sims-filter-clear',
      onclick: () => {
        search.value = ''; tag.value = ''; status.value = ''; group.value = ''; hide.checked = false;
        apply();
      },
    }, t('sims.filter.clear')));
  for (const el of [status, group, hide, searchBy]) el.addEventListener('change', apply);
  pageSize.addEventListener('change', apply);

  // Bulk actions on the ticked SIMs.
  const selectedCount = h('span', { id: 'sims-selected-count', class: 'muted' });
  const actionSelect = h('select', { id: 'bulk-action', 'aria-label': t('sims.bulk.action') },
    ACTIONS.map(a => h('option', { value: a.id }, t(`sims.action.${a.id}`))));
  const applyButton = h('button', { type: 'button', id: 'bulk-apply', class: 'primary', disabled: true }, t('sims.bulk.apply'));
  const bulkBar = h('div', { class: 'toolbar sims-bulk' }, selectedCount, actionSelect, applyButton);

  const table = h('table', { id: 'sims-table', class: 'sims-table' });
  const pager = h('div', { class: 'toolbar sims-pager' });
  view.append(h('h1', { 'data-i18n': 'sims.title' }), filters, message, bulkBar, table, pager);

  let items = [];
  const selected = new Map(); // simId -> SIM, on the current page
  const refreshSelection = () => {
    selectedCount.textContent = t('sims.bulk.selected', { count: selected.size });
    applyButton.disabled = selected.size === 0;
  };
  applyButton.addEventListener('click', () => {
    const action = ACTIONS.find(a => a.id === actionSelect.value);
    const sims = [...selected.values()];
    if (action.id === 'terminate') openTerminateDialog(sims, load);
    else openBulkDialog(action, sims, load);
  });

  let loads = 0;
  async function load() {
    const mine = ++loads; // only the latest request may render, whatever order the answers come in
    message.hidden = true;
    table.setAttribute('aria-busy', 'true');
    const query = searchQuery();
    const key = state.keys[state.keys.length - 1];
    let result;
    try {
      result = query
        ? await api.page('/query/sims', { ...query, limit: state.limit, last_evaluated_key: key })
        : await api.page('/sims', { limit: state.limit, last_evaluated_key: key });
      if (mine !== loads) return;
    } catch (e) {
      if (mine !== loads) return;
      message.replaceChildren(errorResult(e));
      message.hidden = false;
      table.removeAttribute('aria-busy');
      return;
    }
    items = exact(result.items);
    // SIMs stay ticked while they are on the page (e.g. after an action), with their state as now loaded.
    const still = new Set(items.map(s => s.simId).filter(id => selected.has(id)));
    selected.clear();
    for (const sim of items) if (still.has(sim.simId)) selected.set(sim.simId, sim);
    refreshSelection();
    renderTable();
    renderPager(result.nextKey);
    table.removeAttribute('aria-busy');
  }

  function renderTable() {
    const all = h('input', { type: 'checkbox', id: 'sims-select-all', 'aria-label': t('sims.bulk.selectAll') });
    const boxes = [];
    const sync = () => {
      all.checked = items.length > 0 && selected.size === items.length;
      refreshSelection();
    };
    all.addEventListener('change', () => {
      selected.clear();
      for (const box of boxes) box.checked = all.checked;
      if (all.checked) for (const sim of items) selected.set(sim.simId, sim);
      sync();
    });
    const head = h('thead', {}, h('tr', {}, h('th', { class: 'check' }, all),
      ['name', 'imsi', 'simId', 'status', 'speedClass', 'group', 'online', 'protection', 'expiry'].map(c => h('th', {}, t(`sims.column.${c}`)))));
    const body = h('tbody', {}, items.map(sim => {
      const box = h('input', { type: 'checkbox', class: 'select-sim', value: sim.simId, checked: selected.has(sim.simId), 'aria-label': t('sims.bulk.select', { id: sim.simId }) });
      boxes.push(box);
      box.addEventListener('change', () => {
        if (box.checked) selected.set(sim.simId, sim); else selected.delete(sim.simId);
        sync();
      });
      const name = simName(sim);
      return h('tr', { 'data-sim-id': sim.simId, class: sim.status === 'terminated' ? 'terminated' : null },
        h('td', { class: 'check' }, box),
        h('td', { class: 'name' }, h('a', { href: `#/sims/${encodeURIComponent(sim.simId)}` }, name || t('sims.noName'))),
        h('td', { class: 'mono' }, primaryImsi(sim)),
        h('td', { class: 'mono' }, sim.simId),
        h('td', { class: 'status-cell' }, statusBadge(sim.status)),
        h('td', {}, sim.speedClass),
        h('td', {}, groupLabel(sim.groupId)),
        h('td', { class: 'online', 'data-online': String(!!sim.sessionStatus.online) },
          h('span', { class: sim.sessionStatus.online ? 'dot online' : 'dot offline' }), ' ', t(sim.sessionStatus.online ? 'sims.online' : 'sims.offline')),
        h('td', { class: 'protection-cell' }, protectionBadge(sim)),
        h('td', {}, sim.expiryTime ? [formatTime(sim.expiryTime), h('br'), h('span', { class: 'muted' }, t(`sims.expiryAction.${sim.expiryAction || 'doNothing'}`))] : '—'));
    }));
    const empty = items.length ? null : h('tbody', {}, h('tr', {}, h('td', { colspan: 10, class: 'muted', id: 'sims-empty' }, t('sims.empty'))));
    table.replaceChildren(...[head, body, empty].filter(Boolean));
    all.checked = items.length > 0 && selected.size === items.length;
  }

  function renderPager(nextKey) {
    const page = state.keys.length;
    pager.replaceChildren(
      h('button', { type: 'button', id: 'sims-prev', disabled: page === 1, onclick: () => { state.keys.pop(); load(); } }, t('sims.paging.previous')),
      h('span', { id: 'sims-page' }, t('sims.paging.page', { page })),
      h('button', { type: 'button', id: 'sims-next', disabled: !nextKey, onclick: () => { state.keys.push(nextKey); load(); } }, t('sims.paging.next')),
      pageSize);
  }

  await load();
}

// ---------------------------------------------------------------------------------------------------------------
// Bulk actions other than termination.

function speedClassFields() {
  const select = h('select', { id: 'bulk-speed-class' }, SPEED_CLASSES.map(s => h('option', { value: s }, s)));
  return { fields: [h('label', { for: 'bulk-speed-class' }, t('sims.field.speedClass')), select], body: () => ({ speedClass: select.value }) };
}

function groupFields() {
  const select = h('select', { id: 'bulk-group' }, groups.map(g => h('option', { value: g.groupId }, groupLabel(g.groupId))));
  const note = groups.length ? null : h('p', { class: 'error' }, t('sims.field.noGroups'));
  return {
    fields: [h('label', { for: 'bulk-group' }, t('sims.field.group')), select, note],
    body: () => { if (!select.value) throw new Error(t('sims.field.noGroups')); return { groupId: select.value }; },
  };
}

function imeiFields() {
  const input = h('input', { id: 'bulk-imei', inputmode: 'numeric', maxlength: 15, placeholder: '353456789012345' });
  return {
    fields: [h('label', { for: 'bulk-imei' }, t('sims.field.imei')), input, h('p', { class: 'muted' }, t('sims.field.imeiHelp'))],
    body: () => (input.value.trim() ? { imei: input.value.trim() } : {}),
  };
}

function expiryFields() {
  const time = h('input', { id: 'bulk-expiry-time', type: 'datetime-local', required: true });
  const action = h('select', { id: 'bulk-expiry-action' }, EXPIRY_ACTIONS.map(a => h('option', { value: a }, t(`sims.expiryAction.${a}`))));
  return {
    fields: [h('label', { for: 'bulk-expiry-time' }, t('sims.field.expiryTime')), time,
      h('label', { for: 'bulk-expiry-action' }, t('sims.field.expiryAction')), action,
      h('p', { class: 'muted' }, t('sims.field.expiryHelp'))],
    body: () => {
      const ms = Date.parse(`${time.value}:00Z`); // the input is read as UTC, as every time in the console
      if (!time.value || Number.isNaN(ms)) throw new Error(t('sims.field.expiryRequired'));
      return { expiryTime: ms, expiryAction: action.value };
    },
  };
}

/** The SIMs of a dialog, one row each, with a cell for the per-SIM result. */
function simRows(sims, extra = () => []) {
  const rows = new Map();
  const body = h('tbody', {}, sims.map(sim => {
    const result = h('td', { class: 'result-cell' });
    const status = h('td', { class: 'status-cell' }, statusBadge(sim.status));
    const tr = h('tr', { 'data-sim-id': sim.simId }, h('td', {}, simName(sim) || t('sims.noName')), h('td', { class: 'mono' }, sim.simId),
      h('td', { class: 'mono' }, primaryImsi(sim)), status, ...extra(sim), result);
    rows.set(sim.simId, { sim, tr, result, status });
    return tr;
  }));
  return { rows, body };
}

function openBulkDialog(action, sims, reload) {
  const { fields = [], body = () => undefined } = action.fields ? action.fields() : {};
  const { rows, body: tbody } = simRows(sims);
  const error = h('p', { class: 'error', role: 'alert' });
  const run = h('button', { type: 'button', id: 'bulk-run', class: action.id === 'protectionOff' ? 'danger' : 'primary' }, t('sims.bulk.run'));
  const close = h('button', { type: 'button', id: 'bulk-close' }, t('sims.dialog.close'));
  const summary = h('p', { id: 'bulk-summary', class: 'muted' });
  const dialog = h('dialog', { id: 'bulk-dialog', class: 'sims-dialog', 'data-action': action.id },
    h('h2', {}, t(`sims.action.${action.id}`)),
    h('p', {}, t('sims.bulk.intro', { count: sims.length })),
    fields.length ? h('div', { class: 'stack' }, fields) : null,
    h('table', { id: 'bulk-results' }, h('thead', {}, h('tr', {}, ['name', 'simId', 'imsi', 'status', 'result'].map(c => h('th', {}, t(`sims.column.${c}`))))), tbody),
    error, summary,
    h('p', { class: 'toolbar' }, run, close));

  run.addEventListener('click', async () => {
    error.textContent = '';
    let request;
    try { request = body(); } catch (e) { error.textContent = e.message; return; }
    run.disabled = true;
    for (const el of dialog.querySelectorAll('.stack input, .stack select')) el.disabled = true;
    let ok = 0;
    for (const { sim, result, status } of rows.values()) {
      result.replaceChildren(h('span', { class: 'muted' }, t('sims.bulk.running')));
      try {
        const changed = await api.post(`/sims/${encodeURIComponent(sim.simId)}/${action.path}`, request);
        status.replaceChildren(statusBadge(changed.status));
        result.replaceChildren(okResult(t('sims.result.ok')));
        ok++;
      } catch (e) {
        result.replaceChildren(errorResult(e));
      }
    }
    summary.textContent = t('sims.bulk.summary', { ok, failed: rows.size - ok });
  });
  showDialog(dialog, close, reload);
}

function showDialog(dialog, close, reload) {
  close.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => { dialog.remove(); reload(); });
  document.body.append(dialog);
  dialog.showModal();
}

// ---------------------------------------------------------------------------------------------------------------
// Termination: refused while any selected SIM has protection on; protection can be switched off for them here;
// termination is immediate and final, so it needs an explicit confirmation.

function openTerminateDialog(sims, reload) {
  const protectionCells = new Map();
  const { rows, body } = simRows(sims, sim => {
    const cell = h('td', { class: 'protection-cell' }, protectionBadge(sim));
    protectionCells.set(sim.simId, cell);
    return [cell];
  });
  const candidates = () => [...rows.values()].filter(r => r.sim.status !== 'terminated');
  const protectedRows = () => candidates().filter(r => isProtected(r.sim));
  let busy = false;
  let done = false;

  const refused = h('p', { id: 'terminate-protected', class: 'refusal', role: 'alert' });
  const protectionSwitch = h('input', { type: 'checkbox', role: 'switch', id: 'terminate-protection-switch', class: 'switch' });
  const switchState = h('span', { id: 'terminate-protection-state' });
  const confirm = h('input', { type: 'checkbox', id: 'terminate-confirm' });
  const run = h('button', { type: 'button', id: 'terminate-run', class: 'danger', disabled: true }, t('sims.terminate.run'));
  const close = h('button', { type: 'button', id: 'terminate-close' }, t('sims.dialog.close'));
  const summary = h('p', { id: 'terminate-summary', class: 'muted' });

  const update = () => {
    const locked = protectedRows().length;
    for (const { sim } of rows.values()) protectionCells.get(sim.simId).replaceChildren(protectionBadge(sim));
    refused.hidden = locked === 0 || done;
    refused.textContent = t('sims.terminate.refused', { count: locked });
    if (!busy) protectionSwitch.checked = locked > 0; // while busy, the switch shows what was asked for
    protectionSwitch.disabled = busy || done || candidates().length === 0;
    switchState.textContent = t(locked > 0 ? 'sims.protection.on' : 'sims.protection.off');
    if (locked > 0) confirm.checked = false;
    confirm.disabled = busy || done || locked > 0 || candidates().length === 0;
    run.disabled = busy || done || locked > 0 || !confirm.checked || candidates().length === 0;
  };

  protectionSwitch.addEventListener('change', async () => {
    // Off: enable_termination for each protected SIM; on again: disable_termination for each unprotected one.
    const turnOff = !protectionSwitch.checked;
    const targets = turnOff ? protectedRows() : candidates().filter(r => !isProtected(r.sim));
    busy = true;
    update();
    for (const row of targets) {
      try {
        row.sim = await api.post(`/sims/${encodeURIComponent(row.sim.simId)}/${turnOff ? 'enable_termination' : 'disable_termination'}`);
        row.result.replaceChildren(okResult(t(turnOff ? 'sims.terminate.protectionOffDone' : 'sims.terminate.protectionOnDone')));
      } catch (e) {
        row.result.replaceChildren(errorResult(e));
      }
    }
    busy = false;
    update();
  });
  confirm.addEventListener('change', update);

  run.addEventListener('click', async () => {
    busy = true;
    update();
    let ok = 0;
    const targets = candidates();
    for (const row of targets) {
      row.result.replaceChildren(h('span', { class: 'muted' }, t('sims.bulk.running')));
      try {
        row.sim = await api.post(`/sims/${encodeURIComponent(row.sim.simId)}/terminate`);
        row.status.replaceChildren(statusBadge(row.sim.status));
        row.result.replaceChildren(okResult(t('sims.terminate.done')));
        ok++;
      } catch (e) {
        row.result.replaceChildren(errorResult(e));
      }
    }
    busy = false;
    done = true;
    summary.textContent = t('sims.bulk.summary', { ok, failed: targets.length - ok });
    update();
  });

  for (const row of rows.values()) {
    if (row.sim.status === 'terminated') row.result.replaceChildren(h('span', { class: 'muted', 'data-result': 'skipped' }, t('sims.terminate.already')));
  }

  const dialog = h('dialog', { id: 'terminate-dialog', class: 'sims-dialog terminate' },
    h('h2', {}, t('sims.terminate.title')),
    h('div', { class: 'warning', id: 'terminate-warning' },
      h('p', {}, h('strong', {}, t('sims.terminate.final'))),
      h('p', {}, t('sims.terminate.finalDetail')),
      h('p', {}, t('sims.terminate.alternative'))),
    h('table', { id: 'terminate-sims' }, h('thead', {}, h('tr', {},
      ['name', 'simId', 'imsi', 'status', 'protection', 'result'].map(c => h('th', {}, t(`sims.column.${c}`))))), body),
    refused,
    h('p', { class: 'switch-row' },
      h('label', { for: 'terminate-protection-switch' }, t('sims.terminate.protectionSwitch')), ' ', protectionSwitch, ' ', switchState),
    h('p', { class: 'muted' }, t('sims.terminate.protectionHelp')),
    h('p', {}, h('label', { class: 'inline' }, confirm, ' ', t('sims.terminate.confirm'))),
    summary,
    h('p', { class: 'toolbar' }, run, close));
  update();
  showDialog(dialog, close, reload);
}
