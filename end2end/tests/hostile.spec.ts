import { expect, test } from '../fixtures';
import { PASSWORD, baseURL } from '../playwright.config';
import type { Browser, Page } from '@playwright/test';
import { execFileSync } from 'child_process';
import * as path from 'path';

// Hostile input in every text field of a declaration: stored as typed, shown as text (no
// script runs, no markup is made of it) and no layout breaks, on the officer's form, the
// moderation queue and the public page.

const HOSTILE = {
  script: '<script>window.__pwned = 1</script>',
  // Elements whose text the HTML parser reads raw until their end tag.
  breakout: '</title></textarea></style><script>window.__pwned = 1</script>',
  img: '<img src=x onerror="window.__pwned = 1">',
  svg: '"><svg onload="window.__pwned = 1"></svg>',
  url: 'javascript:window.__pwned = 1',
  data: 'data:text/html,<script>window.__pwned = 1</script>',
  sql: "'; DROP TABLE partnership; --",
  rtl: 'Ouaga\u202Eexe.tnemucod\u202C',
  zero: 'zéro\u200Blargeur\u200D\uFEFF',
  long: 'W'.repeat(450),
};

/** What the officer types into the form's "Contexte". */
const TYPED = `${HOSTILE.img} ${HOSTILE.rtl} ${HOSTILE.zero}`;

async function signedIn(browser: Browser, email: string, javaScriptEnabled: boolean | undefined) {
  const context = await browser.newContext({ locale: 'fr-FR', javaScriptEnabled });
  const page = await context.newPage();
  await page.goto('/connexion');
  await page.getByLabel('Adresse électronique').fill(email);
  await page.getByLabel('Mot de passe').fill(PASSWORD);
  await page.getByLabel('Mot de passe').press('Enter');
  await page.waitForURL('**/espace');
  return page;
}

/** Nothing ran, nothing overflows sideways. */
async function inert(page: Page, where: string) {
  expect(await page.evaluate(() => (window as any).__pwned), `a script ran on ${where}`).toBeUndefined();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `the page is wider than the window on ${where}`).toBeLessThanOrEqual(0);
}

test('hostile input is stored as typed and shown inert everywhere', async ({ browser }, info) => {
  const js = info.project.use.javaScriptEnabled;
  const officer = await signedIn(browser, 'agent@chambery.fr', js);
  const dialogs: string[] = [];
  officer.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  const title = `${HOSTILE.breakout} ${HOSTILE.rtl} ${info.project.name} ${Date.now()}`;
  const draft = {
    title,
    status: 'ongoing',
    start_year: 2020,
    form: 'JUMELAGE',
    theme: 'DUR.EAU',
    context: HOSTILE.img,
    history: HOSTILE.svg,
    objectives_local: HOSTILE.url,
    objectives_france: HOSTILE.data,
    description: `${HOSTILE.sql} ${HOSTILE.long}`,
    beneficiaries: HOSTILE.zero,
    project_managers: [HOSTILE.img],
    project_owners: [HOSTILE.svg],
    french_partners: ['commune-73065'],
    foreign_partners: [{ name: `Ouahigouya ${HOSTILE.script}`, country: 'BF' }],
    foreign_contacts: [{ authority: HOSTILE.svg, last_name: HOSTILE.script, first_name: HOSTILE.rtl, role: HOSTILE.long, email: 'awa@ouahigouya.bf' }],
    fundings: [{ funder: HOSTILE.img, amount_eur: 1000, year: 2020 }],
    volunteers: [{ last_name: HOSTILE.sql, first_name: HOSTILE.zero, mission: HOSTILE.script, field: HOSTILE.url, assigned_entity: HOSTILE.long }],
  };
  const created = await officer.request.post('/api/v1/partnerships', { data: draft, headers: { Origin: baseURL } });
  expect(created.status()).toBe(201);
  const { id } = await created.json();

  // The form shows each value as typed, in its input.
  await officer.goto(`/espace/declarations/${id}/1`);
  await expect(officer.getByLabel('Titre du partenariat')).toHaveValue(title);
  await inert(officer, 'step 1');
  await officer.goto(`/espace/declarations/${id}/3`);
  await expect(officer.getByLabel('Contexte', { exact: true })).toHaveValue(HOSTILE.img);
  await expect(officer.getByLabel('Description détaillée')).toHaveValue(`${HOSTILE.sql} ${HOSTILE.long}`);
  await inert(officer, 'step 3');
  // Typed into the form itself (a plain form post, or the hydrated form's save): kept as typed.
  await officer.getByLabel('Contexte', { exact: true }).fill(TYPED);
  await officer.getByRole('button', { name: 'Enregistrer et continuer' }).click();
  await officer.waitForURL(new RegExp(`/espace/declarations/${id}/4([?#]|$)`));
  expect((await (await officer.request.get(`/api/v1/partnerships/${id}`)).json()).context).toBe(TYPED);
  await inert(officer, 'step 4');
  const submitted = await officer.request.post(`/api/v1/partnerships/${id}/submit`, { data: {}, headers: { Origin: baseURL } });
  expect(submitted.status()).toBe(200);
  await officer.goto('/espace');
  await expect(officer.getByText(title)).toBeVisible();
  await inert(officer, 'the workspace');

  // The moderator sees it as text, then publishes it.
  const moderator = await signedIn(browser, 'moderation@diplomatie.gouv.fr', js);
  moderator.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  await moderator.goto('/moderation');
  await expect(moderator.getByText(title).first()).toBeVisible();
  await inert(moderator, 'the moderation queue');
  const published = await moderator.request.post(`/api/v1/moderation/${id}/approve`, { data: {}, headers: { Origin: baseURL } });
  expect(published.status()).toBe(200);

  // The public page: every text as typed, as text.
  const visitor = await (await browser.newContext({ locale: 'fr-FR', javaScriptEnabled: js })).newPage();
  visitor.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  await visitor.goto(`/partenariats/${id}`);
  await expect(visitor.getByRole('heading', { level: 1 })).toHaveText(title);
  for (const text of [TYPED, HOSTILE.svg, HOSTILE.url, HOSTILE.data, HOSTILE.zero]) {
    await expect(visitor.getByText(text, { exact: true }).first()).toBeVisible();
  }
  await expect(visitor.locator('main img[src="x"], main svg[onload]')).toHaveCount(0);
  await inert(visitor, 'the public page');
  // The stored JSON is what was typed, byte for byte.
  const stored = await (await visitor.request.get(`/api/v1/partnerships/${id}`)).json();
  expect(stored.title).toBe(title);
  expect(stored.description).toBe(`${HOSTILE.sql} ${HOSTILE.long}`);
  expect(stored.beneficiaries).toBe(HOSTILE.zero);
  expect(dialogs).toEqual([]);
  await officer.context().close();
  await moderator.context().close();
  await visitor.context().close();
});

// The same corpus in a page of the legacy atlas (server/fixtures/legacy/910_hostile.txt),
// imported by `atlas import-legacy` while the site runs: the running server shows it within
// seconds, every text as typed and inert.
test('a hostile legacy page imported while the site runs is shown inert', async ({ page }) => {
  const fixture = path.resolve(__dirname, '../../server/fixtures/legacy/910_hostile.txt');
  execFileSync(process.env.ATLAS_BIN!, ['import-legacy', fixture], {
    env: { ...process.env, DATABASE_URL: `sqlite://${process.env.ATLAS_E2E_DIR}/atlas.db?mode=rwc`, RUST_LOG: 'warn' },
  });
  let id: number | undefined;
  await expect(async () => {
    const found = await (await page.request.get('/api/v1/partnerships?q=hostile')).json();
    id = found.items?.[0]?.id;
    expect(id).toBeDefined();
  }).toPass({ timeout: 10_000 });
  const dialogs: string[] = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  await page.goto(`/partenariats/${id}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Page hostile </title>${HOSTILE.script} ${HOSTILE.rtl}`);
  await expect(page.getByText(HOSTILE.img, { exact: false }).first()).toBeVisible();
  await expect(page.getByText(HOSTILE.zero, { exact: false }).first()).toBeVisible();
  await expect(page.locator('main img[src="x"], main svg[onload]')).toHaveCount(0);
  await inert(page, 'the imported page');
  expect(dialogs).toEqual([]);
});
