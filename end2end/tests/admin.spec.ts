import { expect, signIn, test } from '../fixtures';
import { PASSWORD, baseURL } from '../playwright.config';

// An administrator finds an officer's account, makes her an embassy moderator for Mali, is
// refused while the account still lists an authority, fixes it and saves.

test('an administrator changes an account, with errors next to their fields', async ({ page }, info) => {
  const email = `agent.${info.project.name}@grenoble.fr`;
  await signIn(page, 'admin@atlas.test');
  // The account as serve.sh made it, even when this test runs again (a retry).
  const found = await (await page.request.get(`/api/v1/admin/accounts?q=${encodeURIComponent(email)}`)).json();
  const reset = await page.request.put(`/api/v1/admin/accounts/${found[0].id}`, {
    data: { role: 'staff', state: 'active', authorities: ['commune-38185'], countries: [] },
    headers: { Origin: baseURL },
  });
  expect(reset.status()).toBe(200);
  await page.getByRole('link', { name: 'Comptes' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Comptes' })).toBeVisible();
  await page.getByLabel('Adresse ou fonction').fill(email);
  await page.getByLabel('Adresse ou fonction').press('Enter');
  await expect(page.getByRole('status')).toHaveText('1 compte(s)');
  await page.getByRole('link', { name: email }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(email);
  await expect(page.getByLabel('Collectivités (agents de collectivité)')).toHaveValue('commune-38185');

  await page.getByLabel('Rôle').selectOption('moderator');
  await page.getByLabel('Pays (modérateurs d\'ambassade)').fill('ML');
  await page.getByRole('button', { name: 'Enregistrer le compte' }).click();
  const summary = page.getByRole('alert');
  await expect(summary).toContainText('seul un agent de collectivité est rattaché à des collectivités');
  // The error is next to its field, and what was typed is kept.
  await expect(page.getByLabel('Collectivités (agents de collectivité)')).toHaveAccessibleDescription(/seul un agent/);
  await expect(page.getByLabel('Pays (modérateurs d\'ambassade)')).toHaveValue('ML');
  await expect(page.getByLabel('Rôle')).toHaveValue('moderator');

  await page.getByLabel('Collectivités (agents de collectivité)').fill('');
  await page.getByRole('button', { name: 'Enregistrer le compte' }).click();
  await expect(page.getByRole('status')).toContainText('Compte enregistré');
  await expect(page.getByLabel('Pays (modérateurs d\'ambassade)')).toHaveValue('ML');

  await page.getByRole('link', { name: '← Tous les comptes' }).click();
  await page.getByLabel('Rôle').selectOption('moderator');
  await page.getByRole('button', { name: 'Chercher' }).click();
  await expect(page.getByRole('row', { name: new RegExp(email) })).toContainText('ML');
});

test('only administrators see the accounts, in English too', async ({ browser }, info) => {
  const context = await browser.newContext({ locale: 'en-US', javaScriptEnabled: info.project.use.javaScriptEnabled });
  const page = await context.newPage();
  await page.goto('/connexion');
  await page.getByLabel('Email').fill('coop@ambafrance-bf.org');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByLabel('Password').press('Enter');
  await page.waitForURL('**/espace');
  await page.goto('/administration/comptes');
  await expect(page.getByRole('alert')).toHaveText('Managing accounts is for administrators.');
  await context.close();
});
