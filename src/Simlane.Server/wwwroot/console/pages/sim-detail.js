// SIM detail (issue 8, part 3): properties, status history, session events, the event handlers that cover the SIM,
// and charts of its daily and monthly traffic (upload and download) from the Air stats API.
import * as api from '../api.js';
import { t, formatTime, formatBytes } from '../i18n.js';
import { h } from '../dom.js';
import { barChart } from '../charts.js';
import { simName, primaryImsi, statusBadge, protectionBadge, groupLabel, loadGroups, errorResult } from './sims.js';

export const routes = [{ pattern: /^#\/sims\/([^/]+)$/, render }];

const DAY_MS = 86400000;
const DAYS = 30;
const MONTHS = 12;
const UPLOAD_COLOR = '#f28e2b';
const DOWNLOAD_COLOR = '#0b6bcb';

async function render(view, match) {
  const simId = decodeURIComponent(match[1]);
  const [sim] = await Promise.all([api.get(`/sims/${encodeURIComponent(simId)}`), loadGroups()]);
  const imsis = Object.values(sim.profiles || {}).flatMap(p => Object.keys(p.subscribers || {}));

  const sections = {
    traffic: h('section', { id: 'sim-traffic', class: 'card' }, h('h2', {}, t('sims.detail.traffic'))),
    history: h('section', { id: 'sim-history', class: 'card' }, h('h2', {}, t('sims.detail.statusHistory'))),
    sessions: h('section', { id: 'sim-sessions', class: 'card' }, h('h2', {}, t('sims.detail.sessionEvents'))),
    handlers: h('section', { id: 'sim-handlers', class: 'card' }, h('h2', {}, t('sims.detail.handlers'))),
  };
  view.append(
    h('p', {}, h('a', { href: '#/sims', id: 'sim-back' }, `← ${t('sims.detail.back')}`)),
    h('h1', { id: 'sim-title' }, simName(sim) || sim.simId, ' ', statusBadge(sim.status)),
    properties(sim),
    subscriptions(sim),
    sections.traffic, sections.history, sections.sessions, sections.handlers);

  // Each section loads on its own: one failing shows its error and leaves the others.
  const guard = (section, load) => load().catch(e => section.append(h('p', { role: 'alert' }, errorResult(e))));
  await Promise.all([
    guard(sections.traffic, () => traffic(sections.traffic, sim)),
    guard(sections.history, () => history(sections.history, sim)),
    guard(sections.sessions, () => sessions(sections.sessions, sim)),
    guard(sections.handlers, () => handlers(sections.handlers, imsis)),
  ]);
}

function row(key, ...value) {
  return h('tr', { 'data-property': key }, h('th', { scope: 'row' }, t(`sims.property.${key}`)), h('td', {}, ...value));
}

function properties(sim) {
  const session = sim.sessionStatus || {};
  const tags = Object.entries(sim.tags || {}).filter(([k]) => k !== 'name');
  return h('section', { class: 'card', id: 'sim-properties' },
    h('h2', {}, t('sims.detail.properties')),
    h('table', { class: 'properties' }, h('tbody', {},
      row('simId', h('span', { class: 'mono' }, sim.simId)),
      row('name', simName(sim) || '—'),
      row('imsi', h('span', { class: 'mono' }, primaryImsi(sim))),
      row('iccid', h('span', { class: 'mono' }, sim.activeProfileId || '—')),
      row('status', statusBadge(sim.status)),
      row('speedClass', sim.speedClass),
      row('group', sim.groupId ? groupLabel(sim.groupId) : '—'),
      row('online', t(session.online ? 'sims.online' : 'sims.offline'),
        session.online ? h('span', { class: 'muted' }, ` — IMEI ${session.imei || '—'}, IP ${session.ueIpAddress || '—'}, ${formatTime(session.lastUpdatedAt)}`) : null),
      row('protection', protectionBadge(sim)),
      row('imeiLock', sim.imeiLock ? h('span', { class: 'mono' }, sim.imeiLock.imei) : t('sims.property.none')),
      row('expiry', sim.expiryTime ? `${formatTime(sim.expiryTime)} — ${t(`sims.expiryAction.${sim.expiryAction || 'doNothing'}`)}` : t('sims.property.none')),
      row('moduleType', `${sim.moduleType} (${sim.type})`),
      row('serialNumber', sim.serialNumber || '—'),
      row('tags', tags.length ? tags.map(([k, v]) => h('span', { class: 'tag' }, `${k}: ${v}`)) : '—'),
      row('created', formatTime(sim.createdTime)),
      row('modified', formatTime(sim.lastModifiedTime)),
      sim.previousSession ? row('previousSession', formatTime(sim.previousSession.createdTime), ' – ', formatTime(sim.previousSession.deletedTime)) : null)));
}

function subscriptions(sim) {
  const subs = Object.values(sim.profiles || {}).flatMap(p => Object.values(p.subscribers || {}).map(s => ({ ...s, iccid: p.iccid })));
  return h('section', { class: 'card', id: 'sim-subscriptions' },
    h('h2', {}, t('sims.detail.subscriptions')),
    h('table', {},
      h('thead', {}, h('tr', {}, ['imsi', 'msisdn', 'iccid', 'subscription', 'status'].map(c => h('th', {}, t(`sims.column.${c}`))))),
      h('tbody', {}, subs.map(s => h('tr', { 'data-imsi': s.imsi },
        h('td', { class: 'mono' }, s.imsi), h('td', { class: 'mono' }, s.msisdn || '—'), h('td', { class: 'mono' }, s.iccid),
        h('td', {}, s.subscription), h('td', {}, statusBadge(s.status)))))));
}

/** The server's time: the sandbox clock on a sandbox server, else the browser's clock. */
async function serverNow() {
  try { return (await api.get('/sandbox/clock')).now; } catch { return Date.now(); }
}

function sumTraffic(item) {
  let up = 0;
  let down = 0;
  for (const v of Object.values(item.dataTrafficStatsMap || {})) {
    up += Number(v.uploadByteSizeTotal || 0);
    down += Number(v.downloadByteSizeTotal || 0);
  }
  return { up, down };
}

async function traffic(section, sim) {
  const now = await serverNow();
  const id = encodeURIComponent(sim.simId);

  // Daily: the last 30 UTC days, today included.
  const dayStart = Math.floor(now / DAY_MS) * DAY_MS - (DAYS - 1) * DAY_MS;
  const daily = await api.get(`/stats/air/sims/${id}`, { from: dayStart / 1000, to: Math.floor(now / 1000), period: 'day' });
  // Day of month, with the month on the first bar and on each 1st, so 30 labels fit side by side.
  const dayLabels = Array.from({ length: DAYS }, (_, i) => {
    const iso = new Date(dayStart + i * DAY_MS).toISOString();
    return i === 0 || iso.slice(8, 10) === '01' ? iso.slice(5, 10) : iso.slice(8, 10);
  });
  const dayUp = new Array(DAYS).fill(0);
  const dayDown = new Array(DAYS).fill(0);
  for (const item of daily || []) {
    const i = Math.floor((item.unixtime * 1000 - dayStart) / DAY_MS);
    if (i < 0 || i >= DAYS) continue;
    const { up, down } = sumTraffic(item);
    dayUp[i] += up;
    dayDown[i] += down;
  }

  // Monthly: the last 12 UTC months, this one included.
  const d = new Date(now);
  const monthStart = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - (MONTHS - 1), 1);
  const monthly = await api.get(`/stats/air/sims/${id}`, { from: monthStart / 1000, to: Math.floor(now / 1000), period: 'month' });
  const first = new Date(monthStart);
  const monthIndex = ms => { const x = new Date(ms); return (x.getUTCFullYear() - first.getUTCFullYear()) * 12 + x.getUTCMonth() - first.getUTCMonth(); };
  const monthLabels = Array.from({ length: MONTHS }, (_, i) => new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + i, 1)).toISOString().slice(0, 7));
  const monthUp = new Array(MONTHS).fill(0);
  const monthDown = new Array(MONTHS).fill(0);
  for (const item of monthly || []) {
    const i = monthIndex(item.unixtime * 1000);
    if (i < 0 || i >= MONTHS) continue;
    const { up, down } = sumTraffic(item);
    monthUp[i] += up;
    monthDown[i] += down;
  }

  const series = (up, down) => [
    { name: t('sims.chart.upload'), color: UPLOAD_COLOR, values: up },
    { name: t('sims.chart.download'), color: DOWNLOAD_COLOR, values: down },
  ];
  const total = (up, down) => t('sims.chart.total', { upload: formatBytes(up.reduce((a, b) => a + b, 0)), download: formatBytes(down.reduce((a, b) => a + b, 0)) });
  const dailyChart = barChart({ labels: dayLabels, series: series(dayUp, dayDown), format: formatBytes, title: t('sims.chart.daily'), width: 960 });
  dailyChart.id = 'sim-chart-daily';
  const monthlyChart = barChart({ labels: monthLabels, series: series(monthUp, monthDown), format: formatBytes, title: t('sims.chart.monthly') });
  monthlyChart.id = 'sim-chart-monthly';
  if (sim.status === 'terminated') section.append(h('p', { class: 'muted' }, t('sims.chart.terminated')));
  section.append(
    h('h3', {}, t('sims.chart.daily')), h('p', { class: 'muted', id: 'sim-chart-daily-total' }, total(dayUp, dayDown)), dailyChart,
    h('h3', {}, t('sims.chart.monthly')), h('p', { class: 'muted', id: 'sim-chart-monthly-total' }, total(monthUp, monthDown)), monthlyChart);
}

function table(id, columns, items, cells) {
  if (!items.length) return h('p', { class: 'muted', id: `${id}-empty` }, t('sims.detail.none'));
  return h('table', { id },
    h('thead', {}, h('tr', {}, columns.map(c => h('th', {}, t(`sims.column.${c}`))))),
    h('tbody', {}, items.map(cells)));
}

async function history(section, sim) {
  const items = await api.get(`/sims/${encodeURIComponent(sim.simId)}/statuses/history`, { limit: 100, sort: 'desc' });
  section.append(table('sim-history-table', ['time', 'imsi', 'status', 'speedClass', 'group'], items || [], e =>
    h('tr', {}, h('td', {}, formatTime(e.applyDateTimeEpochSec * 1000)), h('td', { class: 'mono' }, e.imsi),
      h('td', {}, statusBadge(e.status)), h('td', {}, e.speedClass), h('td', {}, groupLabel(e.groupId)))));
}

async function sessions(section, sim) {
  const items = await api.get(`/sims/${encodeURIComponent(sim.simId)}/events/sessions`, { limit: 100 });
  section.append(table('sim-sessions-table', ['time', 'event', 'imsi', 'imei', 'ip', 'subscription', 'nas'], items || [], e =>
    h('tr', { 'data-event': e.event }, h('td', {}, formatTime(e.time)), h('td', {}, t(`sims.sessionEvent.${e.event}`) === `sims.sessionEvent.${e.event}` ? e.event : t(`sims.sessionEvent.${e.event}`)),
      h('td', { class: 'mono' }, e.imsi), h('td', { class: 'mono' }, e.imei || '—'), h('td', { class: 'mono' }, e.ueIpAddress || '—'), h('td', {}, e.subscription),
      h('td', { class: 'nas-request' }, nasRequest(e.dynamicAuthorization)))));
}

// The Disconnect/CoA Simlane owed the RADIUS NAS for this event (docs/radius.md): kind, outcome, attempts, NAK cause or last error.
function nasRequest(d) {
  if (!d) return '—';
  const detail = d.errorCause ? `${d.errorCause} ${d.errorCauseName || ''}`.trim() : (d.state === 'acked' ? '' : d.lastError || '');
  return h('span', { 'data-nas-state': d.state, title: d.lastError || '' },
    `${t(`sims.nas.${d.type === 'CoA' ? 'coa' : 'disconnect'}`)}: ${t(`sims.nas.state.${d.state}`)}`,
    h('span', { class: 'muted' }, ` (${t('sims.nas.attempts')} ${d.attempts})${detail ? ' — ' + detail : ''}`));
}

async function handlers(section, imsis) {
  const seen = new Map();
  for (const imsi of imsis) {
    for (const handler of await api.get(`/event_handlers/subscribers/${encodeURIComponent(imsi)}`) || []) seen.set(handler.handlerId, handler);
  }
  const target = x => (x.targetImsi ? ['imsi', x.targetImsi] : x.targetSimId ? ['sim', x.targetSimId] : x.targetGroupId ? ['group', groupLabel(x.targetGroupId)] : ['operator', x.targetOperatorId]);
  section.append(table('sim-handlers-table', ['handlerName', 'rule', 'target', 'handlerStatus'], [...seen.values()], x => {
    const [kind, id] = target(x);
    return h('tr', { 'data-handler-id': x.handlerId },
      h('td', {}, h('a', { href: `#/handlers/${encodeURIComponent(x.handlerId)}` }, x.name || x.handlerId)),
      h('td', {}, x.ruleConfig && x.ruleConfig.type),
      h('td', {}, `${t(`sims.target.${kind}`)}: `, h('span', { class: 'mono' }, id)),
      h('td', {}, t(`sims.handlerStatus.${x.status}`)));
  }));
}
