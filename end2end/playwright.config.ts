import { defineConfig } from '@playwright/test';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// A fresh SQLite database per run, seeded with the legacy seed page and a small demo set,
// served by the real `atlas` binary on a free port.
// The config is evaluated again in each worker: the runner's choice travels in the environment.
// 3659 is one of the ports Chromium refuses to open (ERR_UNSAFE_PORT).
const drawn = 3100 + Math.floor(Math.random() * 800);
process.env.ATLAS_E2E_PORT ??= String(drawn === 3659 ? 3660 : drawn);
process.env.ATLAS_E2E_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-e2e-'));
const port = Number(process.env.ATLAS_E2E_PORT);
const dir = process.env.ATLAS_E2E_DIR;
const databaseUrl = `sqlite://${dir}/atlas.db?mode=rwc`;
const bin = process.env.ATLAS_BIN ?? path.resolve(__dirname, '../target/debug/atlas');
const siteRoot = process.env.LEPTOS_SITE_ROOT ?? path.resolve(__dirname, '../target/site');

export const baseURL = `http://127.0.0.1:${port}`;
/** The password of the accounts serve.sh creates. */
export const PASSWORD = 'un mot de passe de test assez long';

const chromium = {
  executablePath: '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

export default defineConfig({
  testDir: './tests',
  globalTeardown: './global-teardown.ts',
  timeout: 30_000,
  fullyParallel: true,
  // One retry under CI, for the upstream Leptos race described in global-teardown.ts; a
  // retried test is listed as flaky.
  retries: process.env.CI ? 1 : 0,
  workers: 2,
  reporter: [['list']],
  use: {
    baseURL,
    locale: 'fr-FR',
    launchOptions: chromium,
    trace: 'retain-on-failure',
  },
  projects: [
    { name: 'hydrated', use: { javaScriptEnabled: true } },
    { name: 'no-js', use: { javaScriptEnabled: false } },
  ],
  webServer: {
    // serve.sh also copies the server's errors to a file that the global teardown reads.
    command: 'bash ./serve.sh',
    url: `${baseURL}/readyz`,
    timeout: 120_000,
    reuseExistingServer: false,
    env: {
      DATABASE_URL: databaseUrl,
      LEPTOS_SITE_ROOT: siteRoot,
      RUST_LOG: 'warn',
      ATLAS_BIN: bin,
      E2E_PASSWORD: PASSWORD,
      ATLAS_OUTBOX: `${dir}/outbox`,
    },
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
