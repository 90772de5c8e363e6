// Usage and billing (issue 8, part 5): operator and group traffic charts (Air stats), this month's charge, monthly
// bills and the daily bills of a month. Windows are UTC, as the API's are.
import * as api from '../api.js';
import { t, formatBytes, currentLanguage } from '../i18n.js';
import { h } from '../dom.js';
import { barChart } from '../charts.js';

export const routes = [{ pattern: /^#\/usage$/, render }];

const DAY = 86400;
const UPLOAD = '#0b6bcb';
const DOWNLOAD = '#7fb3e6';
const CHARGE = '#2e7d32';

/** The server's time in epoch ms: the sandbox clock when there is one (look-back limits are measured from it). */
async function serverNow() {
  try { return (await api.get('/sandbox/clock')).now; } catch { return Date.now(); }
}

const pad = (n) => String(n).padStart(2, '0');

/** The buckets a traffic chart shows, in epoch seconds: the last 7 UTC days, or the last 3 UTC months. */
export function buckets(period, nowMs) {
  const now = new Date(nowMs);
  if (period === 'day') {
    const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) / 1000;
    return Array.from({ length: 7 }, (_, i) => today - (6 - i) * DAY);
  }
  return Array.from({ length: 3 }, (_, i) => Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (2 - i), 1) / 1000);
}

function bucketLabel(period, s) {
  const d = new Date(s * 1000);
  return period === 'day' ? `${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` : `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}`;
}

/** A money amount in its currency, in the console's language. */
function money(amount, currency) {
  try {
    const ja = currentLanguage() === 'ja';
    return new Intl.NumberFormat(ja ? 'ja-JP' : 'en-GB', { style: 'currency', currency, currencyDisplay: ja ? 'symbol' : 'code' }).format(amount);
  } catch {
    return `${amount} ${currency}`;
  }
}

/** yyyyMMddHHmmss (the API's lastEvaluatedTime) as a UTC time. */
function evaluatedTime(s) {
  return s ? `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)} ${s.slice(8, 10)}:${s.slice(10, 12)}:${s.slice(12, 14)} UTC` : '—';
}

async function render(view) {
  const operatorId = api.session().operatorId;
  const now = await serverNow();
  const [groups, latest, history] = await Promise.all([
    api.get('/groups').catch(() => []),
    api.get('/bills/latest'),
    api.get('/bills'),
  ]);

  view.append(h('h1', { 'data-i18n': 'usage.title' }));

  // This month's charge
  const thisMonth = `${new Date(now).getUTCFullYear()}${pad(new Date(now).getUTCMonth() + 1)}`;
  view.append(h('section', { class: 'card', id: 'latest-charge' },
    h('h2', {}, t('usage.thisMonth')),
    h('p', { class: 'amount', id: 'latest-amount', 'data-amount': String(latest.amount) }, money(latest.amount, latest.currency)),
    h('p', { class: 'muted' }, latest.lastEvaluatedTime ? t('usage.lastEvaluated', { time: evaluatedTime(latest.lastEvaluatedTime) }) : t('usage.notEvaluated')),
    h('p', { class: 'muted' }, t('usage.chargeNote'))));

  // Traffic: the operator, and a group
  const operatorCard = h('section', { class: 'card', id: 'operator-traffic' });
  const groupCard = h('section', { class: 'card', id: 'group-traffic' });
  view.append(h('div', { class: 'usage-grid' }, operatorCard, groupCard));
  await trafficCard(operatorCard, {
    title: t('usage.operatorTraffic'), idPrefix: 'operator', now,
    path: () => `/stats/air/operators/${encodeURIComponent(operatorId)}`,
  });
  if (groups.length) {
    const groupSelect = h('select', { id: 'group-select', 'aria-label': t('usage.group') },
      groups.map(g => h('option', { value: g.groupId }, `${g.tags?.name || '—'} · ${g.groupId}`)));
    await trafficCard(groupCard, {
      title: t('usage.groupTraffic'), idPrefix: 'group', now, extra: [h('label', { for: 'group-select' }, t('usage.group')), groupSelect],
      path: () => `/stats/air/groups/${encodeURIComponent(groupSelect.value)}`,
    });
    groupSelect.addEventListener('change', () => groupCard.dispatchEvent(new Event('reload')));
  } else {
    groupCard.append(h('h2', {}, t('usage.groupTraffic')), h('p', { class: 'muted', id: 'no-groups' }, t('usage.noGroups')));
  }

  // Bills: monthly (closed months) and the daily bills of a month
  const bills = history.billList || [];
  const monthly = h('section', { class: 'card', id: 'monthly-bills' }, h('h2', {}, t('usage.monthlyBills')));
  if (bills.length) {
    const ordered = [...bills].reverse();
    monthly.append(
      h('div', { id: 'monthly-bill-chart' }, barChart({
        labels: ordered.map(b => `${b.yearMonth.slice(0, 4)}-${b.yearMonth.slice(4)}`),
        series: [{ name: t('usage.amount'), color: CHARGE, values: ordered.map(b => Number(b.amount)) }],
        format: (v) => money(Math.round(v * 100) / 100, bills[0].currency), title: t('usage.monthlyBills'),
      })),
      h('table', { id: 'monthly-bill-table' },
        h('thead', {}, h('tr', {}, h('th', {}, t('usage.month')), h('th', {}, t('usage.amount')), h('th', {}, t('usage.state')))),
        h('tbody', {}, bills.map(b => h('tr', {},
          h('td', {}, `${b.yearMonth.slice(0, 4)}-${b.yearMonth.slice(4)}`), h('td', { class: 'num' }, money(b.amount, b.currency)), h('td', {}, t(`usage.billState.${b.state}`)))))));
  } else {
    monthly.append(h('p', { class: 'muted', id: 'no-monthly-bills' }, t('usage.noClosedMonths')));
  }
  view.append(monthly);

  const dailyOut = h('div', { id: 'daily-bills' });
  const months = [thisMonth, ...bills.map(b => b.yearMonth).filter(m => m !== thisMonth)];
  const monthSelect = h('select', { id: 'daily-month', 'aria-label': t('usage.month') },
    months.map(m => h('option', { value: m }, `${m.slice(0, 4)}-${m.slice(4)}${m === thisMonth ? ` (${t('usage.current')})` : ''}`)));
  const loadDaily = async () => {
    try {
      const month = monthSelect.value;
      const daily = (await api.get(`/bills/${month}/daily`)).billList || [];
      const currency = daily[0]?.currency || latest.currency;
      // Every day of the month (up to today for the current one), days without a bill at 0.
      const byDate = new Map(daily.map(d => [d.date, Number(d.amount)]));
      const lastDay = month === thisMonth
        ? new Date(now).getUTCDate()
        : new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(4)), 0)).getUTCDate();
      const days = Array.from({ length: lastDay }, (_, i) => `${month}${pad(i + 1)}`);
      dailyOut.replaceChildren(
        h('div', { id: 'daily-bill-chart' }, barChart({
          labels: days.map(d => d.slice(6)),
          series: [{ name: t('usage.amount'), color: CHARGE, values: days.map(d => byDate.get(d) || 0) }],
          format: (v) => money(Math.round(v * 100) / 100, currency), title: t('usage.dailyBills'),
        })),
        h('table', { id: 'daily-bill-table' },
          h('thead', {}, h('tr', {}, h('th', {}, t('usage.date')), h('th', {}, t('usage.amount')))),
          h('tbody', {}, daily.map(d => h('tr', {}, h('td', {}, `${d.date.slice(0, 4)}-${d.date.slice(4, 6)}-${d.date.slice(6)}`), h('td', { class: 'num' }, money(d.amount, d.currency)))))));
    } catch (err) {
      dailyOut.replaceChildren(h('p', { class: 'muted', id: 'no-daily-bills' }, err.code === 'BIL0002' ? t('usage.noCharge') : `${err.code || ''} ${err.message}`));
    }
  };
  monthSelect.addEventListener('change', loadDaily);
  view.append(h('section', { class: 'card', id: 'daily-bills-card' },
    h('h2', {}, t('usage.dailyBills')),
    h('div', { class: 'toolbar' }, h('label', { for: 'daily-month' }, t('usage.month')), monthSelect),
    dailyOut));
  await loadDaily();
}

/** A traffic chart card with a day/month switch; the card reloads on its 'reload' event. */
function trafficCard(card, { title, idPrefix, now, path, extra = [] }) {
  const periodSelect = h('select', { id: `${idPrefix}-period`, 'aria-label': t('usage.period') },
    h('option', { value: 'day' }, t('usage.byDay')), h('option', { value: 'month' }, t('usage.byMonth')));
  const out = h('div', { id: `${idPrefix}-chart` });
  const total = h('p', { class: 'muted', id: `${idPrefix}-total` });
  const load = async () => {
    const period = periodSelect.value;
    const starts = buckets(period, now);
    const from = period === 'day' ? Math.floor(now / 1000) - 6 * DAY : starts[0];
    try {
      const stats = await api.get(path(), { from, to: Math.floor(now / 1000), period });
      const byStart = new Map(stats.map(s => [s.unixtime, s]));
      const up = starts.map(s => byStart.get(s)?.uploadByteSizeTotal || 0);
      const down = starts.map(s => byStart.get(s)?.downloadByteSizeTotal || 0);
      out.replaceChildren(barChart({
        labels: starts.map(s => bucketLabel(period, s)),
        series: [{ name: t('usage.upload'), color: UPLOAD, values: up }, { name: t('usage.download'), color: DOWNLOAD, values: down }],
        format: formatBytes, title,
      }));
      const sum = [...up, ...down].reduce((a, b) => a + b, 0);
      total.textContent = t(period === 'day' ? 'usage.totalDays' : 'usage.totalMonths', { total: formatBytes(sum) });
    } catch (err) {
      out.replaceChildren(h('p', { class: 'error' }, `${err.code || ''} ${err.message}`));
      total.textContent = '';
    }
  };
  periodSelect.addEventListener('change', load);
  card.addEventListener('reload', load);
  card.append(h('h2', {}, title), h('div', { class: 'toolbar' }, ...extra, h('label', { for: `${idPrefix}-period` }, t('usage.period')), periodSelect), out, total);
  return load();
}
