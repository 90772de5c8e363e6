// English and Japanese for every label and message: one JSON file per area and language under i18n/<lang>/,
// keys "area.name". The choice is remembered in localStorage.
const NAMESPACES = ['common', 'sims', 'handlers', 'usage'];
const STORE = 'simlane.lang';
let language = localStorage.getItem(STORE) || ((navigator.language || '').startsWith('ja') ? 'ja' : 'en');
let dictionary = {};

export const languages = ['en', 'ja'];
export function currentLanguage() { return language; }

export async function loadLanguage(lang) {
  language = languages.includes(lang) ? lang : 'en';
  localStorage.setItem(STORE, language);
  const parts = await Promise.all(NAMESPACES.map(ns => fetch(`/console/i18n/${language}/${ns}.json`).then(r => (r.ok ? r.json() : {}))));
  dictionary = Object.assign({}, ...parts);
  document.documentElement.lang = language;
  applyI18n(document);
}

/** The text of key in the current language, with {name} placeholders filled from vars; the key itself if missing. */
export function t(key, vars) {
  let text = dictionary[key] ?? key;
  for (const [k, v] of Object.entries(vars || {})) text = text.replaceAll(`{${k}}`, String(v));
  return text;
}

/** Fills every [data-i18n] (text) and [data-i18n-placeholder] / [data-i18n-title] under root. */
export function applyI18n(root) {
  root.querySelectorAll('[data-i18n]').forEach(el => { el.textContent = t(el.dataset.i18n); });
  root.querySelectorAll('[data-i18n-placeholder]').forEach(el => { el.placeholder = t(el.dataset.i18nPlaceholder); });
  root.querySelectorAll('[data-i18n-title]').forEach(el => { el.title = t(el.dataset.i18nTitle); });
}

/** An epoch-ms time as UTC, in the language's format. */
export function formatTime(ms) {
  if (ms === null || ms === undefined || ms === 0) return '—';
  return new Date(ms).toLocaleString(language === 'ja' ? 'ja-JP' : 'en-GB', { timeZone: 'UTC' }) + ' UTC';
}

/** A byte count with binary units. */
export function formatBytes(n) {
  if (n === null || n === undefined) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = Number(n);
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}
