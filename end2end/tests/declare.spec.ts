import { expect, signIn, test } from '../fixtures';
import { PASSWORD } from '../playwright.config';
import type { Page } from '@playwright/test';

// The officer of Chambéry declares her partnership with Ouahigouya (Burkina Faso) through the
// form, step by step, by keyboard where it matters: a year typed wrong is refused next to its
// field and in the summary at the top, nothing typed is lost, rows are added in place; the
// complete declaration is sent and waits for the moderators, out of the public search.

/** Chooses in a picker by keyboard, once hydrated: types, then the arrows to the proposal
 * and Enter. */
async function pick(page: Page, label: string, typed: string, proposal: RegExp) {
  const field = page.getByLabel(label, { exact: true });
  await expect(field).toHaveAttribute('aria-autocomplete', 'list');
  await field.pressSequentially(typed);
  const option = page.getByRole('option', { name: proposal });
  await expect(option).toBeVisible();
  const place = Number((await option.getAttribute('id'))!.split('-').pop());
  for (let i = 0; i <= place; i++) await field.press('ArrowDown');
  await expect(option).toHaveAttribute('aria-selected', 'true');
  await field.press('Enter');
  await expect(field).toHaveAttribute('aria-expanded', 'false');
}

test('an officer declares a partnership step by step and sends it', async ({ page, request }, info) => {
  const hydrated = info.project.name === 'hydrated';
  const title = `Eau et assainissement à Ouahigouya (${info.project.name}, ${Date.now()})`;
  await signIn(page, 'agent@chambery.fr');
  await page.getByRole('link', { name: 'Déclarer un partenariat' }).click();
  await expect(page.getByRole('heading', { name: 'Déclarer un partenariat', level: 1 })).toBeVisible();

  // Step 1: her authority is there already; the partner abroad is new.
  await expect(page.getByLabel('Collectivité', { exact: true }).first()).toHaveValue('commune-73065');
  await page.getByLabel('Titre du partenariat').fill(title);
  await page.getByLabel('Nom de la collectivité partenaire').fill('Ouahigouya');
  if (hydrated) {
    await pick(page, 'Pays', 'Burk', /^Burkina Faso/);
  } else {
    await page.getByLabel('Pays').selectOption('BF');
  }
  await page.getByLabel('Nom de la collectivité partenaire').press('Enter');
  await page.waitForURL(/\/espace\/declarations\/\d+\/2\?enregistre=1$/);
  await expect(page.getByRole('status')).toHaveText('Brouillon enregistré.');
  const id = Number(page.url().match(/declarations\/(\d+)/)![1]);

  // Step 2: a year in letters is refused, next to the field and in the summary; the rest stays.
  if (hydrated) {
    // The theme tree, filtered as one types; each proposal says its parents.
    await pick(page, 'Thématique', 'assainis', /^Eau et assainissement Développement durable$/);
  } else {
    await page.getByLabel('Thématique', { exact: true }).selectOption('DUR.EAU');
  }
  await page.getByLabel('Statut').selectOption('ongoing');
  await page.getByLabel('Début du partenariat').fill('deux mille dix-neuf');
  await page.getByRole('button', { name: 'Enregistrer et continuer' }).click();
  const summary = page.getByRole('alert');
  await expect(summary).toContainText('Des champs sont à corriger');
  await expect(summary.getByRole('link')).toHaveText('« deux mille dix-neuf » n\'est pas une année');
  const year = page.getByLabel('Début du partenariat');
  await expect(year).toHaveAttribute('aria-invalid', 'true');
  await expect(year).toHaveValue('deux mille dix-neuf');
  await expect(page.getByLabel('Thématique', { exact: true })).toHaveValue(hydrated ? 'Eau et assainissement' : 'DUR.EAU');
  await expect(summary.getByRole('link')).toHaveAttribute('href', '#start_year');
  await year.fill('2019');
  await year.press('Enter');
  await page.waitForURL(`**/espace/declarations/${id}/3?enregistre=1`);

  // Step 3: texts, stored as typed.
  await page.getByLabel('Description détaillée').fill('Forages et latrines <b>dans les écoles</b>');
  await page.getByRole('button', { name: 'Enregistrer et continuer' }).click();
  await page.waitForURL(`**/espace/declarations/${id}/4?enregistre=1`);

  // Step 4: a funding row added in place, the amount typed the French way.
  if (hydrated) await expect(page.locator('form.declaration-form[data-hydrated="true"]')).toBeAttached({ timeout: 15_000 });
  await page.getByRole('button', { name: 'Ajouter un financement' }).click();
  if (hydrated) {
    // Added in place: the focus is in the new row, the page did not change.
    await expect(page.getByLabel('Financeur')).toBeFocused();
    await expect(page).toHaveURL(`/espace/declarations/${id}/4?enregistre=1`);
  }
  await page.getByLabel('Financeur').fill('Ville de Chambéry');
  await page.getByLabel('Montant (euros)').fill('25 000,50');
  await page.getByLabel('Année', { exact: true }).fill('2019');
  await page.getByRole('button', { name: 'Enregistrer et continuer' }).click();
  await page.waitForURL(`**/espace/declarations/${id}/5?enregistre=1`);

  // Step 5: complete, sent; waiting for the moderators and not public.
  await expect(page.getByText('La déclaration est complète')).toBeVisible();
  await page.getByRole('button', { name: 'Envoyer pour validation' }).click();
  await page.waitForURL('**/espace?soumis=' + id);
  await expect(page.getByRole('status')).toHaveText('Déclaration envoyée à la modération.');
  await expect(page.getByRole('region', { name: /Soumis à validation/ })).toContainText(title);
  expect((await request.get(`/api/v1/partnerships/${id}`)).status()).toBe(404);
});

test('a declaration in English', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  await page.goto('/connexion');
  await page.getByLabel('Email address').fill('agent@chambery.fr');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/espace');
  await page.getByRole('link', { name: 'Declare a partnership' }).click();
  await expect(page.getByRole('navigation', { name: 'Steps of the declaration' })).toContainText('Themes and dates');
  await page.getByRole('button', { name: 'Save and continue' }).click();
  await expect(page.getByRole('alert')).toContainText('Some fields need fixing');
  // The messages too, next to their fields.
  await expect(page.getByRole('alert')).toContainText('the title is required');
  await context.close();
});

test('hydrated, the declaration checks as one types and saves on leaving a field', async ({ page, browser }, info) => {
  test.skip(info.project.name !== 'hydrated', 'JavaScript checks and saves as one types');
  await signIn(page, 'agent@chambery.fr');
  await page.goto('/espace/declarations/nouvelle');
  const live = (p: Page) => expect(p.locator('form.declaration-form[data-hydrated="true"]')).toBeAttached({ timeout: 15_000 });
  await live(page);
  const status = page.getByRole('status');

  // Leaving the title saves the draft: it gets its address without leaving the page.
  const title = `Autosave à Ouahigouya (${Date.now()})`;
  await page.getByLabel('Titre du partenariat').fill(title);
  await page.getByLabel('Titre du partenariat').press('Tab');
  await expect(status).toHaveText(/^Brouillon enregistré à \d\d:\d\d\.$/);
  await expect(page).toHaveURL(/\/espace\/declarations\/\d+\/1$/);
  const id = Number(page.url().match(/declarations\/(\d+)/)![1]);
  await expect(page.getByRole('link', { name: /Thèmes et calendrier/ })).toHaveAttribute('href', `/espace/declarations/${id}/2`);

  // An existing foreign authority, chosen by keyboard, brings its country.
  await pick(page, 'Nom de la collectivité partenaire', 'Ouahig', /^Région de Ouahigouya Burkina Faso$/);
  await expect(page.getByText(/^Collectivité déjà connue : .*Ouahigouya \(Burkina Faso\)$/)).toBeVisible();
  await expect(page.getByLabel('Pays')).toHaveValue('Burkina Faso');
  await page.getByLabel('Nom de la collectivité partenaire').press('Tab');
  await expect(status).toHaveText(/^Brouillon enregistré à/);

  // Step 2: a year in letters is refused next to its field as it is typed, nothing posted.
  await page.getByRole('link', { name: /Thèmes et calendrier/ }).click();
  await page.waitForURL(`**/espace/declarations/${id}/2`);
  const year = page.getByLabel('Début du partenariat');
  await expect(page.getByLabel('Thématique', { exact: true })).toHaveAttribute('aria-autocomplete', 'list');
  await year.pressSequentially('deux mille');
  await expect(page.locator('#start_year-erreur')).toHaveText('« deux mille » n\'est pas une année');
  await expect(year).toHaveAttribute('aria-invalid', 'true');
  await expect(year).toHaveAttribute('aria-describedby', 'start_year-erreur');
  await year.fill('2019');
  await expect(page.locator('#start_year-erreur')).toHaveCount(0);
  await expect(year).not.toHaveAttribute('aria-invalid', 'true');
  await year.press('Tab');
  await expect(status).toHaveText(/^Brouillon enregistré à/);

  // Saved indeed: read again from the server.
  await page.reload();
  await expect(page.getByLabel('Début du partenariat')).toHaveValue('2019');
  await live(page);

  // Someone saves the same draft meanwhile (another tab): the next autosave is refused and
  // says so, and what was typed stays.
  const other = await browser.newContext({ locale: 'fr-FR' });
  const tab = await other.newPage();
  await signIn(tab, 'agent@chambery.fr');
  await tab.goto(`/espace/declarations/${id}/2`);
  await live(tab);
  await tab.getByLabel('Première convention signée en').fill('1991');
  await tab.getByLabel('Première convention signée en').press('Tab');
  await expect(tab.getByRole('status')).toHaveText(/^Brouillon enregistré à/);
  await other.close();
  await page.getByLabel('Début du partenariat').fill('2020');
  await page.getByLabel('Début du partenariat').press('Tab');
  await expect(status).toContainText('modifié ailleurs entre-temps');
  await expect(page.getByLabel('Début du partenariat')).toHaveValue('2020');
});
