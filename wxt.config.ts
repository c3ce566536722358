import tailwindcss from '@tailwindcss/vite';
import { defineConfig } from 'wxt';

/** Hosts where Threadline reads the page. Nothing else: no <all_urls>. */
export const MAIL_HOSTS = [
  'https://mail.google.com/*',
  'https://calendar.google.com/*',
  'https://outlook.office.com/*',
  'https://outlook.office365.com/*',
  'https://outlook.live.com/*',
];

/** CRM API hosts are asked for only when the user connects that CRM. */
const CRM_HOSTS = [
  'https://api.hubapi.com/*',
  'https://api.pipedrive.com/*',
  'https://*.pipedrive.com/*',
  // Self-hosted Twenty can live anywhere; the options page requests just its origin.
  'https://*/*',
  'http://127.0.0.1/*',
  'http://localhost/*',
];

export default defineConfig({
  modules: ['@wxt-dev/module-react', '@wxt-dev/webextension-polyfill'],
  hooks: {
    // Content scripts only send messages and never answer one with a Promise, the one thing
    // the polyfill adds over MV3's native promise APIs; dropping it there saves ~10 KB of each
    // script's 25 KB budget. The background and extension pages keep it.
    'vite:build:extendConfig': (entrypoints, config) => {
      if (!entrypoints.length || !entrypoints.every((e) => e.type === 'content-script')) return;
      const native = { find: /^wxt\/browser$/, replacement: '@wxt-dev/browser' };
      const alias = config.resolve?.alias;
      config.resolve = { ...config.resolve, alias: Array.isArray(alias) ? [native, ...alias] : [native, ...Object.entries(alias ?? {}).map(([find, replacement]) => ({ find, replacement }))] };
    },
  },
  vite: () => ({ plugins: [tailwindcss()] }),
  zip: { excludeSources: ['artifacts/**', 'tests/**', '.tmp/**'] },
  manifest: ({ browser }) => ({
    name: 'Threadline',
    description: 'A private, local-first CRM beside your inbox and calendar.',
    // No "tabs": host access to the mail hosts already reveals those tabs' URLs, which is all we read.
    // identity: OAuth sign-in (launchWebAuthFlow shows the vendor's consent page, reads nothing). Chrome
    // asks for it at sign-in (optional); Firefox only accepts it as a required, prompt-free permission.
    // unlimitedStorage: the local store is often the only copy (no CRM connected), and Chrome
    // documents this permission as what exempts an extension's IndexedDB from quota and eviction.
    permissions: ['storage', 'unlimitedStorage', 'alarms', 'notifications', ...(browser === 'firefox' ? ['identity'] : ['sidePanel'])],
    host_permissions: MAIL_HOSTS,
    // MV2 (Firefox) has no optional_host_permissions: optional origins go in optional_permissions.
    ...(browser === 'firefox' ? { optional_permissions: CRM_HOSTS } : { optional_permissions: ['identity'], optional_host_permissions: CRM_HOSTS }),
    action: { default_title: 'Open Threadline' },
    commands: {
      'log-page': {
        suggested_key: { default: 'Alt+Shift+L' },
        description: 'Log the open thread or event to Threadline',
      },
    },
    ...(browser === 'firefox' && {
      browser_specific_settings: {
        gecko: { id: 'threadline@threadline.dev', strict_min_version: '128.0', data_collection_permissions: { required: ['none'] } },
      },
    }),
  }),
});
