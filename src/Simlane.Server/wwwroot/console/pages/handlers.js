// Event handlers (issue 8, part 4): the list, and the parts of a saved handler's page that are not the form —
// firing and delivery history with retry, per-IMSI ignores, the dry run's table, the delete confirmation.
import * as api from '../api.js';
import { t, formatTime, formatBytes } from '../i18n.js';
import { h, toast } from '../dom.js';

export const routes = [{ pattern: /^#\/handlers$/, render }];

const KINDS = ['imsi', 'sim', 'group', 'operator'];

/** A handler's target as [kind, id]. */
export function targetOf(m) {
  if (m.targetImsi) return ['imsi', m.targetImsi];
  if (m.targetSimId) return ['sim', m.targetSimId];
  if (m.targetGroupId) return ['group', m.targetGroupId];
  return ['operator', m.targetOperatorId];
}

/** The primary IMSIs of a SIM, for pickers. */
export function imsisOf(sim) {
  return Object.values(sim.profiles || {}).filter(p => p.primaryImsi).map(p => ({ imsi: p.primaryImsi, label: sim.tags?.name || sim.simId }));
}

async function render(view) {
  const filter = sessionStorage.getItem('simlane.handlers.target') || '';
  const list = await api.get('/event_handlers', { target: filter });
  const kindSelect = h('select', {
    id: 'handlers-target-filter', 'aria-label': t('handlers.filterTarget'),
    onchange: (e) => {
      sessionStorage.setItem('simlane.handlers.target', e.target.value);
      view.replaceChildren();
      render(view);
    },
  }, h('option', { value: '' }, t('handlers.allTargets')), KINDS.map(k => h('option', { value: k, selected: k === filter }, t(`handlers.target.${k}`))));

  view.append(
    h('h1', { 'data-i18n': 'handlers.title' }),
    h('div', { class: 'toolbar' },
      h('a', { class: 'button primary', href: '#/handlers/new', id: 'handlers-new' }, t('handlers.new')),
      h('label', { for: 'handlers-target-filter' }, t('handlers.filterTarget')), kindSelect,
      h('span', { class: 'muted' }, t('handlers.count', { n: list.length }))));

  if (!list.length) {
    view.append(h('p', { class: 'muted', id: 'handlers-empty' }, t('handlers.empty')));
    return;
  }
  view.append(h('table', { id: 'handlers-table' },
    h('thead', {}, h('tr', {}, ['handlers.name', 'handlers.status', 'handlers.targetTitle', 'handlers.ruleType', 'handlers.actions'].map(k => h('th', { class: k === 'handlers.actions' ? 'num' : null }, t(k))))),
    h('tbody', {}, list.map(m => {
      const [kind, id] = targetOf(m);
      return h('tr', { 'data-handler-id': m.handlerId },
        h('td', {}, h('a', { href: `#/handlers/${encodeURIComponent(m.handlerId)}` }, m.name)),
        h('td', {}, h('span', { class: `status status-${m.status}` }, t(`handlers.status.${m.status}`))),
        h('td', {}, h('span', { class: 'muted' }, `${t(`handlers.target.${kind}`)}: `), id),
        h('td', {}, t(`handlers.rule.${m.ruleConfig.type}`), h('br'), h('small', { class: 'muted' }, m.ruleConfig.type)),
        h('td', { class: 'num' }, String((m.actionConfigList || []).length)));
    }))));
}

/** A modal confirmation; answers true when confirmed. */
export function confirmDialog(message, confirmLabel) {
  return new Promise(resolve => {
    const dialog = h('dialog', { id: 'confirm-dialog' },
      h('p', {}, message),
      h('div', { class: 'toolbar' },
        h('button', { type: 'button', id: 'confirm-cancel', onclick: () => { dialog.close(); resolve(false); } }, t('handlers.cancel')),
        h('button', { type: 'button', class: 'danger', id: 'confirm-ok', onclick: () => { dialog.close(); resolve(true); } }, confirmLabel)));
    dialog.addEventListener('close', () => { dialog.remove(); resolve(false); });
    document.body.append(dialog);
    dialog.showModal();
  });
}

/** Traffic rules observe bytes (all but the first-traffic rule). */
const isTraffic = (ruleType) => /Traffic/.test(ruleType || '') && !/FirstTraffic/.test(ruleType);

/** What a firing observed: bytes for traffic rules, the amount for the charge rule, old → new for changes. */
function observed(e) {
  if (e.observedValue !== null && e.observedValue !== undefined) {
    const fmt = (v) => (isTraffic(e.ruleType) ? `${formatBytes(Number(v))} (${v})` : v);
    return e.threshold ? `${fmt(e.observedValue)} > ${fmt(e.threshold)}` : fmt(e.observedValue);
  }
  if (e.oldValue || e.newValue) return `${e.oldValue ?? '—'} → ${e.newValue ?? '—'}`;
  return '—';
}

/**
 * The firing and delivery history of a handler, newest first, with a Retry button for dead and failed actions.
 * Refreshed every 2 seconds while shown (the delivery worker runs on its own), re-drawn only when it changed.
 */
export async function renderHistory(section, handlerId) {
  const body = h('div', { id: 'executions' });
  const more = h('div');
  let shown = '';
  let limit = 20;
  const path = `/event_handlers/${encodeURIComponent(handlerId)}/executions`;

  async function load(force = false) {
    const { items, nextKey } = await api.page(path, { limit });
    const key = JSON.stringify(items) + nextKey;
    if (!force && key === shown) return;
    shown = key;
    body.replaceChildren(...(items.length ? items.map(execution) : [h('p', { class: 'muted', id: 'no-executions' }, t('handlers.noExecutions'))]));
    more.replaceChildren(nextKey && limit < 100 ? h('button', { type: 'button', id: 'executions-more', onclick: () => { limit = 100; load(true); } }, t('handlers.showMore')) : '');
  }

  function execution(e) {
    return h('article', { class: 'execution', 'data-execution-id': e.executionId },
      h('div', { class: 'execution-head' },
        h('strong', {}, formatTime(e.firedTime)), ' · ',
        h('span', {}, `${t('handlers.imsi')}: ${e.imsi || '—'}`), ' · ',
        h('span', {}, `${t('handlers.simId')}: ${e.simId || '—'}`), ' · ',
        h('span', { class: 'observed' }, `${t('handlers.observed')}: ${observed(e)}`),
        e.windowStart ? h('span', { class: 'muted' }, ` · ${t('handlers.window')}: ${formatTime(e.windowStart)} – ${formatTime(e.windowEnd)}`) : null),
      h('table', { class: 'deliveries' },
        h('thead', {}, h('tr', {}, ['handlers.actionIndex', 'handlers.actionType', 'handlers.state', 'handlers.attempts', 'handlers.due', 'handlers.lastAttempt', 'handlers.httpStatus', 'handlers.lastError', ''].map(k => h('th', {}, k ? t(k) : '')))),
        h('tbody', {}, (e.actions || []).map(a => h('tr', { 'data-action-index': a.index, 'data-state': a.state },
          h('td', {}, String(a.index + 1)),
          h('td', {}, t(`handlers.action.${a.type}`)),
          h('td', {}, h('span', { class: `state state-${a.state}` }, t(`handlers.deliveryState.${a.state}`))),
          h('td', { class: 'attempts num' }, String(a.attempts)),
          h('td', {}, formatTime(a.dueTime), a.nextAttemptTime ? h('br') : null, a.nextAttemptTime ? h('small', { class: 'muted' }, `${t('handlers.nextAttempt')}: ${formatTime(a.nextAttemptTime)}`) : null),
          h('td', {}, formatTime(a.lastAttemptTime)),
          h('td', { class: 'http-status' }, a.lastHttpStatus ? String(a.lastHttpStatus) : '—'),
          h('td', { class: 'last-error' }, a.lastError || ''),
          h('td', {}, ['dead', 'failed'].includes(a.state) ? h('button', {
            type: 'button', class: 'retry',
            onclick: async (ev) => {
              ev.target.disabled = true;
              try {
                await api.post(`${path}/${encodeURIComponent(e.executionId)}/actions/${a.index}/retry`);
                toast(t('handlers.retried'));
              } catch (err) {
                toast(err.code ? `${err.code}: ${err.message}` : String(err.message), true);
              }
              await load(true);
            },
          }, t('handlers.retry')) : null))))));
  }

  section.replaceChildren(
    h('h2', {}, t('handlers.history')),
    h('p', { class: 'muted' }, t('handlers.historyHint')),
    h('div', { class: 'toolbar' }, h('button', { type: 'button', id: 'executions-refresh', onclick: () => load(true) }, t('handlers.refresh'))),
    body, more);
  await load(true);
  const timer = setInterval(() => {
    if (!section.isConnected) { clearInterval(timer); return; }
    load().catch(() => {});
  }, 2000);
}

/**
 * Per-IMSI ignores. The API sets and removes them but has no list; the saved handler's dry run shows, for rules
 * that can be evaluated now, which IMSIs are ignored.
 */
export async function renderIgnores(section, handlerId, ruleType, sims) {
  const base = `/event_handlers/${encodeURIComponent(handlerId)}/subscribers`;
  const result = h('p', { id: 'ignore-result', role: 'status' });
  const imsi = h('input', { id: 'ignore-imsi', list: 'ignore-imsi-list', autocomplete: 'off', placeholder: '001010000000001' });
  const until = h('input', { id: 'ignore-until', type: 'datetime-local' });
  const reason = h('input', { id: 'ignore-reason', maxlength: 1000 });
  const dryRun = h('div', { id: 'stored-dry-run' });
  const fail = (err) => { result.className = 'error'; result.textContent = err.code ? `${err.code}: ${err.message}` : String(err.message); };

  section.replaceChildren(
    h('h2', {}, t('handlers.ignores')),
    h('p', { class: 'muted' }, t('handlers.ignoresHint')),
    h('div', { class: 'field-grid' },
      h('div', { class: 'field' }, h('label', { for: 'ignore-imsi' }, t('handlers.imsi')), imsi,
        h('datalist', { id: 'ignore-imsi-list' }, sims.flatMap(imsisOf).map(i => h('option', { value: i.imsi }, i.label)))),
      h('div', { class: 'field' }, h('label', { for: 'ignore-until' }, t('handlers.ignoreUntil')), until, h('small', { class: 'muted' }, t('handlers.ignoreUntilHint'))),
      h('div', { class: 'field' }, h('label', { for: 'ignore-reason' }, t('handlers.ignoreReason')), reason)),
    h('div', { class: 'toolbar' },
      h('button', {
        type: 'button', id: 'ignore-add',
        onclick: async () => {
          const body = {};
          if (until.value) body.until = Date.parse(`${until.value}Z`);
          if (reason.value) body.reason = reason.value;
          try {
            await api.post(`${base}/${encodeURIComponent(imsi.value.trim())}/ignore`, body);
            result.className = 'ok';
            result.textContent = until.value
              ? t('handlers.ignoredUntil', { imsi: imsi.value.trim(), until: formatTime(body.until) })
              : t('handlers.ignoredNow', { imsi: imsi.value.trim() });
          } catch (err) { fail(err); }
        },
      }, t('handlers.ignore')),
      h('button', {
        type: 'button', id: 'ignore-remove',
        onclick: async () => {
          try {
            await api.del(`${base}/${encodeURIComponent(imsi.value.trim())}/ignore`);
            result.className = 'ok';
            result.textContent = t('handlers.unignored', { imsi: imsi.value.trim() });
          } catch (err) { fail(err); }
        },
      }, t('handlers.unignore')),
      h('button', {
        type: 'button', id: 'stored-dry-run-button',
        onclick: async () => {
          try {
            renderDryRun(dryRun, await api.post('/event_handlers/dry_run', undefined, { handler_id: handlerId }), ruleType);
          } catch (err) { fail(err); }
        },
      }, t('handlers.storedDryRun'))),
    result, dryRun);
}

/** The dry run's answer: which units would fire now, with what they observed. */
export function renderDryRun(container, result, ruleType) {
  const children = [h('h2', {}, t('handlers.dryRunResult'))];
  if (!result.evaluable) {
    children.push(h('p', { id: 'dry-run-not-evaluable' }, t('handlers.dryRunNotEvaluable')), h('p', { class: 'muted' }, result.reason || ''));
  } else {
    const firing = result.units.filter(u => u.wouldFire).length;
    children.push(h('p', { class: 'dry-run-summary' }, t('handlers.dryRunSummary', { firing, units: result.units.length })));
    if (result.reason) children.push(h('p', { class: 'muted' }, result.reason));
    if (result.truncated) children.push(h('p', { class: 'muted' }, t('handlers.dryRunTruncated')));
    if (result.units.length) {
      const value = (v) => (v === null || v === undefined ? '—' : isTraffic(ruleType) ? `${formatBytes(Number(v))} (${v})` : v);
      children.push(h('table', { class: 'dry-run-units' },
        h('thead', {}, h('tr', {}, ['handlers.unit', 'handlers.observed', 'handlers.threshold', 'handlers.window', 'handlers.wouldFire', 'handlers.armed', 'handlers.ignored'].map(k => h('th', {}, t(k))))),
        h('tbody', {}, result.units.map(u => h('tr', { class: u.wouldFire ? 'would-fire' : '', 'data-unit': u.unitKey, 'data-would-fire': String(u.wouldFire) },
          h('td', {}, u.imsi ? `${t('handlers.imsi')} ${u.imsi}` : u.unitKey, u.simId ? h('br') : null, u.simId ? h('small', { class: 'muted' }, `${t('handlers.simId')} ${u.simId}`) : null),
          h('td', { class: 'observed' }, value(u.observedValue)),
          h('td', {}, value(u.threshold)),
          h('td', {}, u.windowStart ? `${formatTime(u.windowStart)} – ${formatTime(u.windowEnd)}` : '—'),
          h('td', { class: u.wouldFire ? 'ok would-fire-cell' : 'muted would-fire-cell' }, t(u.wouldFire ? 'handlers.yes' : 'handlers.no')),
          h('td', {}, t(u.armed ? 'handlers.yes' : 'handlers.no')),
          h('td', {}, t(u.ignored ? 'handlers.yes' : 'handlers.no')))))));
    }
  }
  container.replaceChildren(h('section', { class: 'dry-run' }, children));
}
