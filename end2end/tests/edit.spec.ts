import { expect, test } from '../fixtures';
import { baseURL, PASSWORD } from '../playwright.config';
import type { APIRequestContext, Browser, Page, PlaywrightWorkerArgs, TestInfo } from '@playwright/test';

// Changing a published partnership on its own page, by keyboard, hydrated and without
// JavaScript: each section opens in place onto its form; a staff change waits for a moderator
// (the public page keeps the published text), who sees the changed words and rows and
// publishes it; two people saving the same section: the second sees what changed and keeps
// what she typed; the history shows it all, and a moderator restores an earlier version.

const headers = { Origin: baseURL };

// Each story declares and publishes its partnership first, and drives two or three browsers.
test.describe.configure({ timeout: 60_000 });

async function login(request: APIRequestContext, email: string) {
  const login = await request.post('/api/v1/auth/login', { headers, data: { email, password: PASSWORD } });
  expect(login.status()).toBe(200);
}

/** The officer of Chambéry and the embassy in Burkina Faso, signed in once per worker (sign-ins
 * are limited per email and per address: the other stories sign in by the page). */
let signedIn: { officer: APIRequestContext; embassy: APIRequestContext } | undefined;
async function sessions(playwright: PlaywrightWorkerArgs['playwright']) {
  if (!signedIn) {
    const officer = await playwright.request.newContext({ baseURL });
    await login(officer, 'agent@chambery.fr');
    const embassy = await playwright.request.newContext({ baseURL });
    await login(embassy, 'coop@ambafrance-bf.org');
    signedIn = { officer, embassy };
  }
  return signedIn;
}

/** A page of a new browser, in French unless told, hydrated or not as the project is, signed
 * in with one of those sessions. */
async function pageAs(browser: Browser, session: APIRequestContext | null, info: TestInfo, locale = 'fr-FR'): Promise<Page> {
  const context = await browser.newContext({ locale, javaScriptEnabled: info.project.use.javaScriptEnabled });
  if (session) await context.addCookies((await session.storageState()).cookies);
  const page = await context.newPage();
  // Watched as the fixtures' own page is: no page error, no console error, hydrated on arrival.
  page.on('pageerror', (error) => pageErrors.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/status of (300|404|409)/.test(message.text())) {
      pageErrors.push(`console error: ${message.text()}`);
    }
  });
  if (info.project.use.javaScriptEnabled) {
    const goto = page.goto.bind(page);
    page.goto = async (url, options) => {
      const response = await goto(url, options);
      await expect(page.locator('header[data-hydrated="true"]')).toBeAttached({ timeout: 15_000 });
      return response;
    };
  }
  return page;
}

const pageErrors: string[] = [];
test.afterEach(() => {
  const errors = pageErrors.splice(0);
  expect(errors, errors.join('\n')).toEqual([]);
});

/** A partnership of Chambéry in Burkina Faso, declared, submitted and published through the
 * JSON API: its id. */
async function published(playwright: PlaywrightWorkerArgs['playwright'], title: string): Promise<number> {
  const { officer, embassy } = await sessions(playwright);
  const created = await officer.post('/api/v1/partnerships', {
    headers,
    data: {
      title,
      theme: 'DUR.EAU',
      status: 'ongoing',
      start_year: 2019,
      description: 'Forages et latrines dans les écoles de la ville.',
      french_partners: ['commune-73065'],
      foreign_partners: [{ name: 'Ouahigouya', country: 'BF' }],
      fundings: [{ funder: 'Ville de Chambéry', amount_eur: 25000, year: 2019 }],
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { id } = await created.json();
  expect((await officer.post(`/api/v1/partnerships/${id}/submit`, { headers, data: {} })).status()).toBe(200);
  const approved = await embassy.post(`/api/v1/moderation/${id}/approve`, { headers, data: {} });
  expect(approved.status(), await approved.text()).toBe(200);
  return id;
}

/** Opens a section's control by keyboard: focus on its summary, Enter. */
async function openSection(page: Page, code: string) {
  const section = page.locator(`#modifier-${code}`);
  await section.locator('summary').focus();
  await page.keyboard.press('Enter');
  await expect(section).toHaveAttribute('open', '');
  return section;
}

/** Replaces an input's text by keyboard. */
async function retype(page: Page, name: string, text: string) {
  const input = page.locator(`.section-form [name="${name}"]`);
  await input.focus();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type(text);
}

test('a staff change waits for a moderator, who sees the changed words and rows and publishes it', async ({ browser, playwright }, info) => {
  const title = `Forages à Ouahigouya (${info.project.name}, ${Date.now()})`;
  const id = await published(playwright, title);
  const { officer, embassy } = await sessions(playwright);
  const address = `/partenariats/${id}`;
  const visitor = await pageAs(browser, null, info);

  // The public sees no control.
  await visitor.goto(address);
  await expect(visitor.getByRole('heading', { name: title, level: 1 })).toBeVisible();
  await expect(visitor.locator('.section-edit')).toHaveCount(0);

  const page = await pageAs(browser, officer, info);
  await page.goto(address);

  // Cancel: nothing changes.
  await openSection(page, 'titre');
  await retype(page, 'title', 'Un titre abandonné');
  await page.locator('#modifier-titre').getByRole('link', { name: 'Annuler' }).press('Enter');
  await expect(page.getByRole('heading', { name: title, level: 1 })).toBeVisible();

  // A word of the description and the funding row, each saved from its own section.
  let section = await openSection(page, 'description');
  await retype(page, 'description', 'Forages et latrines dans les collèges de la ville.');
  await section.getByRole('button', { name: /^Enregistrer/ }).press('Enter');
  await expect(page.locator('p.notice[role="status"]')).toContainText('sera publiée après validation');
  await expect(page.getByText('attend la validation d’un modérateur').or(page.getByText("attend la validation d'un modérateur"))).toBeVisible();
  section = await openSection(page, 'financement');
  await retype(page, 'fundings[0].amount_eur', '30000');
  await section.getByRole('button', { name: /^Enregistrer/ }).press('Enter');
  await expect(page.locator('p.notice[role="status"]')).toContainText('sera publiée après validation');
  // Her forms start from what she proposed.
  await expect(page.locator('.section-form [name="fundings[0].amount_eur"]')).toHaveValue('30000');
  // A date: the start year.
  section = await openSection(page, 'calendrier');
  await retype(page, 'start_year', '2020');
  await section.getByRole('button', { name: /^Enregistrer/ }).press('Enter');
  await expect(page.locator('p.notice[role="status"]')).toContainText('sera publiée après validation');

  // Still the published text for the public.
  await visitor.goto(address);
  await expect(visitor.locator('#description-detaillee + p')).toHaveText('Forages et latrines dans les écoles de la ville.');
  await expect(visitor.locator('.summary .facts')).not.toContainText('2020');

  // The moderator: the changed word and row in the queue, then published.
  const moderator = await pageAs(browser, embassy, info);
  await moderator.goto('/moderation');
  const item = moderator.getByRole('listitem').filter({ hasText: title });
  await expect(item.getByText('Modification proposée d’une fiche publiée').or(item.getByText("Modification proposée d'une fiche publiée"))).toBeVisible();
  await expect(item.locator('del').filter({ hasText: 'écoles' })).toBeVisible();
  await expect(item.locator('ins').filter({ hasText: 'collèges' })).toBeVisible();
  await expect(item.locator('.rows-diff ins')).toContainText('30');
  await expect(item.locator('.value-diff del')).toContainText('2019');
  await expect(item.locator('.value-diff ins')).toContainText('2020');
  await item.getByRole('button', { name: 'Publier' }).press('Enter');
  await expect(moderator.locator('p.notice[role="status"]')).toContainText('Décision enregistrée');

  await visitor.goto(address);
  await expect(visitor.locator('#description-detaillee + p')).toHaveText('Forages et latrines dans les collèges de la ville.');
  await expect(visitor.locator('.summary .facts')).toContainText('2020');

  // The history: the publications, their words; the moderator restores the first one.
  await visitor.goto(`${address}/historique`);
  await expect(visitor.getByRole('heading', { level: 1 })).toContainText('Historique des modifications');
  await expect(visitor.locator('ins').filter({ hasText: 'collèges' }).first()).toBeVisible();
  await expect(visitor.getByRole('button', { name: /Rétablir/ })).toHaveCount(0);
  await moderator.goto(`${address}/historique`);
  const first = moderator.getByRole('listitem').filter({ has: moderator.getByRole('heading', { name: /Publiée/ }) }).last();
  await first.getByRole('button', { name: /Rétablir la version/ }).press('Enter');
  await expect(moderator.locator('p.notice[role="status"]')).toContainText('Version rétablie');
  await visitor.goto(address);
  await expect(visitor.locator('#description-detaillee + p')).toHaveText('Forages et latrines dans les écoles de la ville.');
});

test('two people save the same section: the second sees what changed and keeps what she typed', async ({ browser, playwright }, info) => {
  const title = `Latrines à Ouahigouya (${info.project.name}, ${Date.now()})`;
  const id = await published(playwright, title);
  const sessionsOf = await sessions(playwright);
  const address = `/partenariats/${id}`;
  const page = await pageAs(browser, sessionsOf.officer, info);
  const embassy = await pageAs(browser, sessionsOf.embassy, info);

  // Both open the context from the same version.
  await page.goto(address);
  await embassy.goto(address);
  await openSection(page, 'contexte');
  await openSection(embassy, 'contexte');
  await retype(page, 'context', 'Un jumelage signé en 1991.');
  await retype(embassy, 'context', 'Coopération relancée en 2015.');

  await page.locator('#modifier-contexte').getByRole('button', { name: /^Enregistrer/ }).press('Enter');
  await expect(page.locator('p.notice[role="status"]')).toContainText('sera publiée après validation');

  // The second save is refused: what changed meanwhile, and her own text, kept.
  await embassy.locator('#modifier-contexte').getByRole('button', { name: /^Enregistrer/ }).press('Enter');
  const conflict = embassy.locator('#modifier-contexte .alert.conflict');
  await expect(conflict).toContainText('La fiche a été modifiée pendant votre saisie');
  await expect(conflict.locator('ins')).toContainText('Un jumelage signé en 1991.');
  await expect(embassy.locator('.section-form [name="context"]')).toHaveValue('Coopération relancée en 2015.');

  // She merges both and saves again: published at once (a moderator's change).
  await retype(embassy, 'context', 'Un jumelage signé en 1991, relancé en 2015.');
  await embassy.locator('#modifier-contexte').getByRole('button', { name: /^Enregistrer/ }).press('Enter');
  await expect(embassy.locator('p.notice[role="status"]')).toContainText('Modification publiée');
  await expect(embassy.locator('#contexte + p')).toHaveText('Un jumelage signé en 1991, relancé en 2015.');
});

test('in English, the editing controls and the history are in English', async ({ browser, playwright }, info) => {
  const title = `Water in Ouahigouya (${info.project.name}, ${Date.now()})`;
  const id = await published(playwright, title);
  const page = await pageAs(browser, (await sessions(playwright)).officer, info, 'en-US');
  await page.goto(`/partenariats/${id}`);
  await expect(page.locator('#modifier-contexte summary')).toContainText('Edit');
  await page.goto(`/partenariats/${id}/historique`);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('History of changes');
  await expect(page.getByRole('heading', { level: 2 }).first()).toContainText('Published');
});

test('hydrated, the totals follow what is typed, Escape closes a form and the focus comes back to its control', async ({ browser, playwright }, info) => {
  test.skip(!info.project.use.javaScriptEnabled, 'what the hydrated page adds');
  const title = `Forages à Ouahigouya, au clavier (${Date.now()})`;
  const id = await published(playwright, title);
  const page = await pageAs(browser, (await sessions(playwright)).officer, info);
  await page.goto(`/partenariats/${id}`);

  const section = await openSection(page, 'financement');
  const totals = section.locator('.live-totals[data-live="true"]');
  await expect(totals.locator('[aria-live]')).toHaveText(/25\u202f000/);
  await retype(page, 'fundings[0].amount_eur', '31 500');
  await expect(totals.locator('[aria-live]')).toHaveText(/31\u202f500/);
  await expect(totals.locator('table').first()).toContainText('31\u202f500');
  await page.keyboard.press('Escape');
  await expect(page.locator('#modifier-financement')).not.toHaveAttribute('open', '');
  await expect(page.locator('#modifier-financement summary')).toBeFocused();

  // Saved: the page comes back with the focus on the section's control.
  await expect(page.locator('.section-keys[data-live="true"]').first()).toBeAttached();
  await openSection(page, 'historique');
  await retype(page, 'history', 'Jumelage depuis 1991.');
  await page.locator('#modifier-historique').getByRole('button', { name: /^Enregistrer/ }).press('Enter');
  await expect(page.locator('p.notice[role="status"]')).toContainText('sera publiée après validation');
  await expect(page.locator('#modifier-historique summary')).toBeFocused();
});
