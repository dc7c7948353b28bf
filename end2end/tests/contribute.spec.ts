import { expect, signIn, test } from '../fixtures';
import { baseURL, PASSWORD } from '../playwright.config';
import type { APIRequestContext, Page } from '@playwright/test';
import * as fs from 'fs';
import * as path from 'path';

// The stories of the contributors' side that exist so far: an officer signs in and follows her
// declarations on her workspace; a moderator returns one with a comment (the officer sees it
// and is emailed) and publishes another (it is in the public search at once). The keyboard
// alone drives the forms.

/** Signs in through the page, by keyboard: Tab from the email to the password, Enter. */
/** A submitted declaration of Chambéry, through the JSON API, with a title of its own. */
async function submitted(request: APIRequestContext, title: string): Promise<number> {
  const headers = { Origin: baseURL };
  const login = await request.post('/api/v1/auth/login', {
    headers,
    data: { email: 'agent@chambery.fr', password: PASSWORD },
  });
  expect(login.status()).toBe(200);
  const created = await request.post('/api/v1/partnerships', {
    headers,
    data: {
      title,
      theme: 'DUR.EAU',
      french_partners: ['commune-73065'],
      foreign_partners: [{ name: 'Ouahigouya', country: 'BF' }],
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { id } = await created.json();
  const submit = await request.post(`/api/v1/partnerships/${id}/submit`, { headers, data: {} });
  expect(submit.status(), await submit.text()).toBe(200);
  return id;
}

test('an officer signs in by keyboard and sees her declarations by state', async ({ page, playwright }, info) => {
  const request = await playwright.request.newContext({ baseURL });
  const title = `Eau potable à Ouahigouya (${info.project.name}, ${Date.now()})`;
  await submitted(request, title);

  await page.goto('/');
  await page.getByRole('link', { name: 'Espace collectivités' }).click();
  await expect(page.getByRole('heading', { name: 'Mon espace' })).toBeVisible();
  await expect(page.getByText('Connectez-vous pour y accéder')).toBeVisible();

  // A wrong password: the same page, an alert, the email kept.
  await page.goto('/connexion');
  await page.getByLabel('Adresse électronique').fill('agent@chambery.fr');
  await page.getByLabel('Mot de passe').fill('pas le bon');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('alert')).toHaveText('Adresse électronique ou mot de passe incorrect.');
  await expect(page.getByLabel('Adresse électronique')).toHaveValue('agent@chambery.fr');

  await signIn(page, 'agent@chambery.fr');
  await expect(page.getByRole('region', { name: 'Mes collectivités', exact: true })).toContainText('Chambéry');
  const waiting = page.getByRole('region', { name: /Soumis à validation/ });
  await expect(waiting).toContainText(title);

  // Signed out: the workspace is closed again.
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await page.goto('/espace');
  await expect(page.getByText('Connectez-vous pour y accéder')).toBeVisible();
});

test('a moderator returns a submission with a comment and publishes another', async ({ page, playwright }, info) => {
  const request = await playwright.request.newContext({ baseURL });
  const stamp = `${info.project.name}, ${Date.now()}`;
  const toReturn = `Latrines scolaires à Ouahigouya (${stamp})`;
  const toPublish = `Forages à Ouahigouya (${stamp})`;
  const returnedId = await submitted(request, toReturn);
  const publishedId = await submitted(request, toPublish);

  await signIn(page, 'coop@ambafrance-bf.org');
  await page.getByRole('link', { name: 'Modération' }).click();
  await expect(page.getByRole('heading', { name: 'Modération', level: 1 })).toBeVisible();

  // Return: a comment is required; the officer gets it by email and on her workspace.
  let item = page.getByRole('listitem').filter({ hasText: toReturn });
  await item.getByRole('button', { name: 'Renvoyer' }).click();
  await expect(page.getByRole('alert')).toContainText('écrivez un commentaire');
  item = page.getByRole('listitem').filter({ hasText: toReturn });
  await item.getByLabel('Commentaire à la collectivité').fill('ajoutez le financement 2018');
  await item.getByRole('button', { name: 'Renvoyer' }).click();
  await expect(page.getByRole('status')).toContainText('Décision enregistrée');
  await expect(page.getByRole('listitem').filter({ hasText: toReturn })).toHaveCount(0);

  const outbox = path.join(process.env.ATLAS_E2E_DIR!, 'outbox');
  const mails = fs.readdirSync(outbox).map((f) => fs.readFileSync(path.join(outbox, f), 'utf8'));
  expect(mails.some((m) => m.includes('ajoutez le financement 2018') && m.includes('To: agent@chambery.fr'))).toBe(true);

  const mine = await request.get('/api/v1/me/partnerships');
  const returned = (await mine.json()).find((p: { id: number }) => p.id === returnedId);
  expect(returned.state).toBe('returned');
  expect(returned.comment).toBe('ajoutez le financement 2018');

  // Publish: in the public search at once.
  item = page.getByRole('listitem').filter({ hasText: toPublish });
  await item.getByRole('button', { name: 'Publier' }).click();
  await expect(page.getByRole('status')).toContainText('Décision enregistrée');
  const search = await request.get(`/api/v1/partnerships?q=${encodeURIComponent('Forages Ouahigouya')}&per_page=100`);
  const found = (await search.json()).items.map((p: { id: number }) => p.id);
  expect(found).toContain(publishedId);
});

test('in English, the sign-in page and its errors are in English', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  await page.goto('/connexion');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await page.getByLabel('Email address').fill('nobody@example.org');
  await page.getByLabel('Password').fill('wrong password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Wrong email address or password.');
  await context.close();
});
