import { expect, test } from '../fixtures';
import { PASSWORD } from '../playwright.config';
import type { Page } from '@playwright/test';

// The officer of Chambéry declares her partnership with Ouahigouya (Burkina Faso) through the
// form, step by step, by keyboard where it matters: a year typed wrong is refused next to its
// field and in the summary at the top, nothing typed is lost, rows are added in place; the
// complete declaration is sent and waits for the moderators, out of the public search.

async function signIn(page: Page) {
  await page.goto('/connexion');
  await page.getByLabel('Adresse électronique').fill('agent@chambery.fr');
  await page.getByLabel('Mot de passe').fill(PASSWORD);
  await page.getByLabel('Mot de passe').press('Enter');
  await page.waitForURL('**/espace');
}

test('an officer declares a partnership step by step and sends it', async ({ page, request }, info) => {
  const title = `Eau et assainissement à Ouahigouya (${info.project.name}, ${Date.now()})`;
  await signIn(page);
  await page.getByRole('link', { name: 'Déclarer un partenariat' }).click();
  await expect(page.getByRole('heading', { name: 'Déclarer un partenariat', level: 1 })).toBeVisible();

  // Step 1: her authority is there already; the partner abroad is new.
  await expect(page.getByLabel('Collectivité', { exact: true }).first()).toHaveValue('commune-73065');
  await page.getByLabel('Titre du partenariat').fill(title);
  await page.getByLabel('Nom de la collectivité partenaire').fill('Ouahigouya');
  await page.getByLabel('Pays').selectOption('BF');
  await page.getByLabel('Nom de la collectivité partenaire').press('Enter');
  await page.waitForURL(/\/espace\/declarations\/\d+\/2\?enregistre=1$/);
  await expect(page.getByRole('status')).toHaveText('Brouillon enregistré.');
  const id = Number(page.url().match(/declarations\/(\d+)/)![1]);

  // Step 2: a year in letters is refused, next to the field and in the summary; the rest stays.
  await page.getByLabel('Thématique', { exact: true }).selectOption('DUR.EAU');
  await page.getByLabel('Statut').selectOption('ongoing');
  await page.getByLabel('Début du partenariat').fill('deux mille dix-neuf');
  await page.getByRole('button', { name: 'Enregistrer et continuer' }).click();
  const summary = page.getByRole('alert');
  await expect(summary).toContainText('Des champs sont à corriger');
  await expect(summary.getByRole('link')).toHaveText('« deux mille dix-neuf » n\'est pas une année');
  const year = page.getByLabel('Début du partenariat');
  await expect(year).toHaveAttribute('aria-invalid', 'true');
  await expect(year).toHaveValue('deux mille dix-neuf');
  await expect(page.getByLabel('Thématique', { exact: true })).toHaveValue('DUR.EAU');
  await expect(summary.getByRole('link')).toHaveAttribute('href', '#start_year');
  await year.fill('2019');
  await year.press('Enter');
  await page.waitForURL(`**/espace/declarations/${id}/3?enregistre=1`);

  // Step 3: texts, stored as typed.
  await page.getByLabel('Description détaillée').fill('Forages et latrines <b>dans les écoles</b>');
  await page.getByRole('button', { name: 'Enregistrer et continuer' }).click();
  await page.waitForURL(`**/espace/declarations/${id}/4?enregistre=1`);

  // Step 4: a funding row added in place, the amount typed the French way.
  await page.getByRole('button', { name: 'Ajouter un financement' }).click();
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
