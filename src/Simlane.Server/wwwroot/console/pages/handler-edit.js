// Event handler create and edit (issue 8, part 4): a form per rule type that offers only the fields, targets and
// re-evaluation timings that rule allows, an actions editor (1 to 5, each with its timing), the dry run, and — for a
// saved handler — its firing and delivery history, per-IMSI ignores and delete.
// The server stays the authority: the form sends what the user chose and shows the server's 400 next to the field
// its message names.
import * as api from '../api.js';
import { t } from '../i18n.js';
import { h, toast } from '../dom.js';
import { renderHistory, renderIgnores, renderDryRun, confirmDialog, imsisOf } from './handlers.js';

export const routes = [{ pattern: /^#\/handlers\/(new|[^/]+)$/, render }];

// ---- The catalogue: Core's, as GET /v1/event_handler_catalogue answers it (docs/api.md, "Catalogue"). ----
// Loaded once per page load by loadCatalogue(); nothing about rule or action types is copied here.
const TIMEOUT = 'inactiveTimeoutDateConst';
const OFFSET = 'inactiveTimeoutOffsetMinutes';
const ONCE = 'runOnceAmongTarget';

/** Every rule type: required and optional properties, allowed re-evaluation timings and targets (and its semantics). */
export let RULES = {};
/** Every action type and its type-specific properties (needsRule: the rule type and flag it requires). */
export let ACTIONS = {};
export let TIMINGS = [];
export let SPEED_CLASSES = [];
export let MAX_ACTIONS = 0;
/** Legacy rule type names answered by old handlers; the server stores them under the current name. */
let LEGACY = {};
/** The enum properties of rules and their values. */
let RULE_ENUMS = {};
let DEFAULT_RULE = '';
let MAX_OFFSET = 0;
let loading = null;

/** Fetches the catalogue once; every render awaits it before building the form. */
export function loadCatalogue() {
  loading ??= api.get('/event_handler_catalogue').then((c) => {
    RULES = c.rules;
    ACTIONS = c.actions;
    TIMINGS = c.timings;
    SPEED_CLASSES = c.actionProperties.speedClass.allowed;
    MAX_ACTIONS = c.maxActions;
    LEGACY = c.legacyRuleTypes;
    RULE_ENUMS = Object.fromEntries(Object.entries(c.ruleProperties).filter(([, p]) => p.kind === 'enum').map(([k, p]) => [k, p.allowed]));
    DEFAULT_RULE = c.defaultRuleType;
    MAX_OFFSET = c.maxOffsetMinutes;
  }).catch((e) => { loading = null; throw e; });
  return loading;
}

const TEXTAREAS = new Set(['message', 'headers', 'body']);
const TARGET_FIELDS = { imsi: 'targetImsi', sim: 'targetSimId', group: 'targetGroupId', operator: 'targetOperatorId' };

// ---- The page ----

async function render(view, match) {
  await loadCatalogue();
  const id = decodeURIComponent(match[1]);
  const isNew = id === 'new';
  const operatorId = api.session().operatorId;
  const [handler, sims, groups] = await Promise.all([
    isNew ? null : api.get(`/event_handlers/${encodeURIComponent(id)}`),
    api.all('/sims', { limit: 100 }, 1000).catch(() => []),
    api.get('/groups').catch(() => []),
  ]);
  const state = handler ? fromModel(handler) : blank(operatorId);

  view.append(
    h('p', {}, h('a', { href: '#/handlers' }, `← ${t('handlers.backToList')}`)),
    h('h1', { id: 'handler-title' }, isNew ? t('handlers.new') : handler.name));

  const form = buildForm(state, { isNew, handler, operatorId, sims, groups });
  view.append(form);

  if (!isNew) {
    const history = h('section', { class: 'card', id: 'handler-history' });
    const ignores = h('section', { class: 'card', id: 'handler-ignores' });
    view.append(history, ignores);
    await Promise.all([renderHistory(history, handler.handlerId), renderIgnores(ignores, handler.handlerId, handler.ruleConfig.type, sims)]);
  }
}

function blank(operatorId) {
  return {
    name: '', description: '', status: 'active',
    ruleType: DEFAULT_RULE,
    rule: { [TIMEOUT]: 'BEGINNING_OF_NEXT_DAY' },
    targetKind: 'imsi',
    target: { imsi: '', sim: '', group: '', operator: operatorId },
    actions: [blankAction('SendMailToOperatorAction')],
  };
}

function blankAction(type) {
  const a = { type, properties: { executionDateTimeConst: 'IMMEDIATELY' } };
  if (type === 'ExecuteWebRequestAction') Object.assign(a.properties, { httpMethod: 'POST', contentType: 'application/json', headers: '{}' });
  if (type === 'ChangeSpeedClassAction') a.properties.speedClass = 's1.minimum';
  return a;
}

function fromModel(m) {
  const kind = m.targetImsi ? 'imsi' : m.targetSimId ? 'sim' : m.targetGroupId ? 'group' : 'operator';
  const rule = {};
  for (const [k, v] of Object.entries(m.ruleConfig.properties || {})) rule[k] = k === 'hasImei' ? v === true : k === ONCE ? v === 'true' : String(v);
  return {
    name: m.name, description: m.description || '', status: m.status,
    ruleType: LEGACY[m.ruleConfig.type] || m.ruleConfig.type,
    rule,
    targetKind: kind,
    target: { imsi: m.targetImsi || '', sim: m.targetSimId || '', group: m.targetGroupId || '', operator: m.targetOperatorId || api.session().operatorId },
    actions: (m.actionConfigList || []).map(a => ({
      type: a.type,
      properties: Object.fromEntries(Object.entries(a.properties || {}).map(([k, v]) => [k, typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)])),
    })),
  };
}

/** The request body of create, update and dry run: only what the chosen rule and actions take. */
export function requestBody(state) {
  const spec = RULES[state.ruleType];
  const properties = {};
  for (const p of [...spec.required, ...spec.optional]) {
    const v = state.rule[p];
    if (p === OFFSET && state.rule[TIMEOUT] === 'NEVER') continue;
    if (v === undefined || v === null || v === '' || v === false) continue;
    properties[p] = p === 'hasImei' ? true : p === ONCE ? 'true' : v;
  }
  const body = { name: state.name, status: state.status, ruleConfig: { type: state.ruleType, properties }, actionConfigList: [] };
  if (state.description) body.description = state.description;
  body[TARGET_FIELDS[state.targetKind]] = state.target[state.targetKind];
  for (const a of state.actions) {
    const aspec = ACTIONS[a.type];
    const props = { executionDateTimeConst: a.properties.executionDateTimeConst };
    if (a.properties.executionDateTimeConst !== 'NEVER' && a.properties.executionOffsetMinutes) props.executionOffsetMinutes = a.properties.executionOffsetMinutes;
    for (const p of [...aspec.required, ...aspec.optional]) {
      const v = a.properties[p];
      if (p === 'body' && !['POST', 'PUT'].includes(a.properties.httpMethod)) continue;
      if (v !== undefined && v !== '') props[p] = v;
    }
    body.actionConfigList.push({ type: a.type, properties: props });
  }
  return body;
}

function buildForm(state, { isNew, handler, operatorId, sims, groups }) {
  const errorBox = h('div', { class: 'error', role: 'alert', id: 'handler-error' });
  const dryRunOut = h('div', { id: 'dry-run-result' });
  const ruleArea = h('div', { id: 'rule-fields', class: 'field-grid' });
  const targetArea = h('div', { id: 'target-fields', class: 'field-grid' });
  const actionsArea = h('div', { id: 'actions' });

  const field = (path, labelKey, control, hint) => h('div', { class: 'field', 'data-path': path },
    h('label', { for: control.id }, t(labelKey)), control, hint ? h('small', { class: 'muted' }, hint) : null, h('small', { class: 'field-error error' }));

  const input = (id, value, oninput, attrs = {}) => h('input', { id, value: value ?? '', oninput: (e) => oninput(e.target.value), ...attrs });
  const select = (id, options, value, onchange, attrs = {}) => h('select', { id, onchange: (e) => onchange(e.target.value), ...attrs },
    options.map(([v, label]) => h('option', { value: v, selected: v === value }, label)));

  // Rule: its type, the properties it takes, its re-evaluation timing (only the allowed ones) and offset.
  const ruleSelect = select('rule-type', Object.keys(RULES).map(r => [r, `${t(`handlers.rule.${r}`)} (${r})`]), state.ruleType, (v) => {
    state.ruleType = v;
    const spec = RULES[v];
    if (!spec.timeouts.includes(state.rule[TIMEOUT])) state.rule[TIMEOUT] = spec.timeouts.includes('BEGINNING_OF_NEXT_DAY') ? 'BEGINNING_OF_NEXT_DAY' : spec.timeouts[0];
    if (!spec.targets.includes(state.targetKind)) state.targetKind = spec.targets[0];
    renderRule(); renderTarget(); renderActions();
  });

  function renderRule() {
    const spec = RULES[state.ruleType];
    const props = [...spec.required, ...spec.optional].filter(p => p !== TIMEOUT && p !== OFFSET);
    const fields = props.map(p => {
      const path = `ruleConfig.properties.${p}`;
      const id = `rule-${p}`;
      const set = (v) => { state.rule[p] = v; };
      if (p === 'hasImei' || p === ONCE) {
        return h('div', { class: 'field check', 'data-path': path },
          h('label', {}, h('input', { type: 'checkbox', id, checked: !!state.rule[p], onchange: (e) => { state.rule[p] = e.target.checked; if (p === 'hasImei') renderActions(); } }), ' ', t(`handlers.prop.${p}`)),
          h('small', { class: 'field-error error' }));
      }
      if (RULE_ENUMS[p]) {
        const required = spec.required.includes(p);
        const options = [...(required ? [] : [['', t('handlers.any')]]), ...RULE_ENUMS[p].map(v => [v, p === 'sessionStatus' ? t(`handlers.session.${v}`) : v])];
        if (required && !state.rule[p]) state.rule[p] = RULE_ENUMS[p][0];
        return field(path, `handlers.prop.${p}`, select(id, options, state.rule[p] || '', set));
      }
      return field(path, `handlers.prop.${p}`, input(id, state.rule[p], set, { type: 'number', inputmode: 'numeric' }), t(`handlers.hint.${p}`));
    });

    const timeoutSelect = select('rule-timeout', spec.timeouts.map(v => [v, t(`handlers.timing.${v}`)]), state.rule[TIMEOUT], (v) => { state.rule[TIMEOUT] = v; renderRule(); });
    fields.push(field(`ruleConfig.properties.${TIMEOUT}`, 'handlers.prop.inactiveTimeoutDateConst', timeoutSelect, t('handlers.hint.inactiveTimeoutDateConst')));
    if (spec.optional.includes(OFFSET) && state.rule[TIMEOUT] !== 'NEVER') {
      fields.push(field(`ruleConfig.properties.${OFFSET}`, 'handlers.prop.inactiveTimeoutOffsetMinutes',
        input('rule-offset', state.rule[OFFSET], (v) => { state.rule[OFFSET] = v; }, { type: 'number', min: 0, max: MAX_OFFSET }), t('handlers.hint.offset')));
    }
    ruleArea.replaceChildren(...fields);
  }

  // Target: only the kinds the rule allows; SIMs and groups picked from lists, the operator is the caller's own.
  function renderTarget() {
    const spec = RULES[state.ruleType];
    const kindSelect = select('target-kind', spec.targets.map(k => [k, t(`handlers.target.${k}`)]), state.targetKind, (v) => { state.targetKind = v; renderTarget(); });
    const path = TARGET_FIELDS[state.targetKind];
    const set = (v) => { state.target[state.targetKind] = v; };
    let control;
    if (state.targetKind === 'imsi') {
      control = h('span', {}, input('target-id', state.target.imsi, set, { list: 'imsi-list', autocomplete: 'off', placeholder: '001010000000001' }),
        h('datalist', { id: 'imsi-list' }, sims.flatMap(imsisOf).map(i => h('option', { value: i.imsi }, i.label))));
    } else if (state.targetKind === 'sim') {
      if (!state.target.sim && sims.length) state.target.sim = sims[0].simId;
      control = select('target-id', sims.map(s => [s.simId, `${s.tags?.name || '—'} · ${s.simId}`]), state.target.sim, set);
      if (!sims.length) control = input('target-id', state.target.sim, set);
    } else if (state.targetKind === 'group') {
      if (!state.target.group && groups.length) state.target.group = groups[0].groupId;
      control = groups.length
        ? select('target-id', groups.map(g => [g.groupId, `${g.tags?.name || '—'} · ${g.groupId}`]), state.target.group, set)
        : input('target-id', state.target.group, set);
    } else {
      state.target.operator = state.target.operator || operatorId;
      control = input('target-id', state.target.operator, set, { readonly: true });
    }
    targetArea.replaceChildren(
      field('target', 'handlers.targetKind', kindSelect),
      field(path, `handlers.target.${state.targetKind}`, control));
  }

  // Actions: 1 to 5, each with its type's fields and its timing.
  function allowedActions() {
    return Object.keys(ACTIONS).filter(a => !ACTIONS[a].needsRule
      || (state.ruleType === ACTIONS[a].needsRule.type && state.rule[ACTIONS[a].needsRule.property] === true));
  }

  function renderActions() {
    const allowed = allowedActions();
    const cards = state.actions.map((a, i) => {
      const at = `actionConfigList[${i}]`;
      const types = allowed.includes(a.type) ? allowed : [...allowed, a.type];
      const typeSelect = select(`action-${i}-type`, types.map(v => [v, `${t(`handlers.action.${v}`)} (${v})`]), a.type, (v) => {
        const timing = a.properties.executionDateTimeConst;
        const offset = a.properties.executionOffsetMinutes;
        state.actions[i] = blankAction(v);
        state.actions[i].properties.executionDateTimeConst = timing;
        if (offset) state.actions[i].properties.executionOffsetMinutes = offset;
        renderActions();
      });
      const timing = select(`action-${i}-timing`, TIMINGS.map(v => [v, t(`handlers.timing.${v}`)]), a.properties.executionDateTimeConst, (v) => { a.properties.executionDateTimeConst = v; renderActions(); });
      const fields = [
        field(`${at}.type`, 'handlers.actionType', typeSelect),
        field(`${at}.properties.executionDateTimeConst`, 'handlers.prop.executionDateTimeConst', timing),
      ];
      if (a.properties.executionDateTimeConst !== 'NEVER') {
        fields.push(field(`${at}.properties.executionOffsetMinutes`, 'handlers.prop.executionOffsetMinutes',
          input(`action-${i}-offset`, a.properties.executionOffsetMinutes, (v) => { a.properties.executionOffsetMinutes = v; }, { type: 'number', min: 0, max: MAX_OFFSET }), t('handlers.hint.offset')));
      }
      const spec = ACTIONS[a.type] || { required: [], optional: [] };
      for (const p of [...spec.required, ...spec.optional]) {
        if (p === 'body' && !['POST', 'PUT'].includes(a.properties.httpMethod)) continue;
        const id = `action-${i}-${p}`;
        const set = (v) => { a.properties[p] = v; };
        let control;
        if (p === 'speedClass') control = select(id, SPEED_CLASSES.map(v => [v, v]), a.properties[p], set);
        else if (p === 'httpMethod') control = select(id, ['GET', 'POST', 'PUT', 'DELETE'].map(v => [v, v]), a.properties[p], (v) => { set(v); renderActions(); });
        else if (TEXTAREAS.has(p)) control = h('textarea', { id, rows: p === 'message' ? 3 : 2, oninput: (e) => set(e.target.value) }, a.properties[p] ?? '');
        else control = input(id, a.properties[p], set, p === 'to' ? { type: 'email' } : {});
        fields.push(field(`${at}.properties.${p}`, `handlers.prop.${p}`, control, ['message', 'title', 'url', 'body', 'headers'].includes(p) ? t('handlers.hint.variables') : null));
      }
      return h('fieldset', { class: 'action', 'data-index': i },
        h('legend', {}, t('handlers.actionN', { n: i + 1 })),
        h('div', { class: 'field-grid' }, fields),
        h('button', { type: 'button', class: 'remove-action', disabled: state.actions.length <= 1, onclick: () => { state.actions.splice(i, 1); renderActions(); } }, t('handlers.removeAction')));
    });
    actionsArea.replaceChildren(
      h('div', { 'data-path': 'actionConfigList' }, h('small', { class: 'field-error error' })),
      ...cards,
      h('button', {
        type: 'button', id: 'add-action', disabled: state.actions.length >= MAX_ACTIONS,
        onclick: () => { state.actions.push(blankAction('SendMailToOperatorAction')); renderActions(); },
      }, t('handlers.addAction', { max: MAX_ACTIONS })));
  }

  function clearErrors() {
    errorBox.textContent = '';
    form.querySelectorAll('.field-error').forEach(el => { el.textContent = ''; });
    form.querySelectorAll('.invalid').forEach(el => el.classList.remove('invalid'));
  }

  /** Shows a server refusal above the form and next to the field its message names (the longest matching path). */
  function showError(err) {
    errorBox.textContent = err.code ? `${t('handlers.refused')} ${err.code}: ${err.message}` : String(err.message || err);
    const path = (err.message || '').match(/^([A-Za-z]+(?:\[\d+\])?(?:\.[A-Za-z0-9]+(?:\[\d+\])?)*)(?::| is )/);
    if (!path) return;
    let p = path[1];
    while (p) {
      const el = form.querySelector(`[data-path="${CSS.escape(p)}"]`);
      if (el) {
        el.classList.add('invalid');
        el.querySelector('.field-error').textContent = err.message;
        return;
      }
      p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '';
    }
  }

  const form = h('form', {
    class: 'card handler-form', id: 'handler-form', novalidate: true,
    onsubmit: async (e) => {
      e.preventDefault();
      clearErrors();
      try {
        if (isNew) {
          const created = await api.post('/event_handlers', requestBody(state));
          toast(t('handlers.created'));
          location.hash = `#/handlers/${encodeURIComponent(created.handlerId)}`;
        } else {
          Object.assign(handler, await api.put(`/event_handlers/${encodeURIComponent(handler.handlerId)}`, requestBody(state)));
          toast(t('handlers.saved'));
          document.getElementById('handler-title').textContent = handler.name;
        }
      } catch (err) {
        showError(err);
      }
    },
  },
  errorBox,
  h('h2', {}, t('handlers.basics')),
  h('div', { class: 'field-grid' },
    field('name', 'handlers.name', input('handler-name', state.name, (v) => { state.name = v; })),
    field('description', 'handlers.description', input('handler-description', state.description, (v) => { state.description = v; })),
    field('status', 'handlers.status', select('handler-status', [['active', t('handlers.status.active')], ['inactive', t('handlers.status.inactive')]], state.status, (v) => { state.status = v; }))),
  h('h2', {}, t('handlers.rule')),
  h('div', { class: 'field-grid' }, field('ruleConfig.type', 'handlers.ruleType', ruleSelect)),
  ruleArea,
  h('h2', {}, t('handlers.targetTitle')),
  targetArea,
  h('h2', {}, t('handlers.actions')),
  actionsArea,
  h('div', { class: 'toolbar' },
    h('button', { type: 'submit', class: 'primary', id: 'handler-save' }, t(isNew ? 'handlers.create' : 'handlers.save')),
    h('button', {
      type: 'button', id: 'handler-dry-run',
      onclick: async () => {
        clearErrors();
        dryRunOut.replaceChildren();
        try {
          renderDryRun(dryRunOut, await api.post('/event_handlers/dry_run', requestBody(state)), state.ruleType);
        } catch (err) {
          showError(err);
        }
      },
    }, t('handlers.dryRun')),
    isNew ? null : h('button', {
      type: 'button', class: 'danger', id: 'handler-delete',
      onclick: async () => {
        if (!(await confirmDialog(t('handlers.deleteConfirm', { name: handler.name }), t('handlers.delete')))) return;
        try {
          await api.del(`/event_handlers/${encodeURIComponent(handler.handlerId)}`);
          toast(t('handlers.deleted'));
          location.hash = '#/handlers';
        } catch (err) {
          showError(err);
        }
      },
    }, t('handlers.delete'))),
  dryRunOut);

  renderRule();
  renderTarget();
  renderActions();
  return form;
}
