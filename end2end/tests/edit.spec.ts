import { expect, signIn, test } from '../fixtures';
import { baseURL, PASSWORD } from '../playwright.config';
import type { APIRequestContext, Browser, Page } from '@playwright/test';

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

/** A partnership of Chambéry in Burkina Faso, declared, submitted and published through the
 * JSON API: its id. */
async function published(browser: Browser, title: string): Promise<number> {
  const officer = (await browser.newContext({ baseURL })).request;
  await login(officer, 'agent@chambery.fr');
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
  const embassy = (await browser.newContext({ baseURL })).request;
  await login(embassy, 'coop@ambafrance-bf.org');
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

test('a staff change waits for a moderator, who sees the changed words and rows and publishes it', async ({ page, browser }, info) => {
  const title = `Forages à Ouahigouya (${info.project.name}, ${Date.now()})`;
  const id = await published(browser, title);
  const address = `/partenariats/${id}`;
  const visitor = await (await browser.newContext({ locale: 'fr-FR', javaScriptEnabled: info.project.use.javaScriptEnabled })).newPage();

  // The public sees no control.
  await visitor.goto(address);
  await expect(visitor.getByRole('heading', { name: title, level: 1 })).toBeVisible();
  await expect(visitor.locator('.section-edit')).toHaveCount(0);

  await signIn(page, 'agent@chambery.fr');
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

  // Still the published text for the public.
  await visitor.goto(address);
  await expect(visitor.locator('#description-detaillee + p')).toHaveText('Forages et latrines dans les écoles de la ville.');

  // The moderator: the changed word and row in the queue, then published.
  const moderator = await (await browser.newContext({ locale: 'fr-FR', javaScriptEnabled: info.project.use.javaScriptEnabled })).newPage();
  await signIn(moderator, 'coop@ambafrance-bf.org');
  await moderator.goto('/moderation');
  const item = moderator.getByRole('listitem').filter({ hasText: title });
  await expect(item.getByText('Modification proposée d’une fiche publiée').or(item.getByText("Modification proposée d'une fiche publiée"))).toBeVisible();
  await expect(item.locator('del').filter({ hasText: 'écoles' })).toBeVisible();
  await expect(item.locator('ins').filter({ hasText: 'collèges' })).toBeVisible();
  await expect(item.locator('.rows-diff ins')).toContainText('30');
  await item.getByRole('button', { name: 'Publier' }).press('Enter');
  await expect(moderator.locator('p.notice[role="status"]')).toContainText('Décision enregistrée');

  await visitor.goto(address);
  await expect(visitor.locator('#description-detaillee + p')).toHaveText('Forages et latrines dans les collèges de la ville.');

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

test('two people save the same section: the second sees what changed and keeps what she typed', async ({ page, browser }, info) => {
  const title = `Latrines à Ouahigouya (${info.project.name}, ${Date.now()})`;
  const id = await published(browser, title);
  const address = `/partenariats/${id}`;
  const embassy = await (await browser.newContext({ locale: 'fr-FR', javaScriptEnabled: info.project.use.javaScriptEnabled })).newPage();

  // Both open the context from the same version.
  await signIn(page, 'agent@chambery.fr');
  await page.goto(address);
  await signIn(embassy, 'coop@ambafrance-bf.org');
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

test('in English, the editing controls and the history are in English', async ({ browser }, info) => {
  const title = `Water in Ouahigouya (${info.project.name}, ${Date.now()})`;
  const id = await published(browser, title);
  const context = await browser.newContext({ locale: 'en-US', javaScriptEnabled: info.project.use.javaScriptEnabled });
  const page = await context.newPage();
  await page.goto('/connexion');
  await page.getByLabel('Email address').fill('agent@chambery.fr');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByLabel('Password').press('Enter');
  await page.waitForURL('**/espace');
  await page.goto(`/partenariats/${id}`);
  await expect(page.locator('#modifier-contexte summary')).toContainText('Edit');
  await page.goto(`/partenariats/${id}/historique`);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('History of changes');
  await expect(page.getByRole('heading', { level: 2 }).first()).toContainText('Published');
});

test('hydrated, the totals follow what is typed, Escape closes a form and the focus comes back to its control', async ({ page, browser }, info) => {
  test.skip(!info.project.use.javaScriptEnabled, 'what the hydrated page adds');
  const title = `Forages à Ouahigouya, au clavier (${Date.now()})`;
  const id = await published(browser, title);
  await signIn(page, 'agent@chambery.fr');
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
