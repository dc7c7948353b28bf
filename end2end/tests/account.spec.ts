import { expect, test } from '../fixtures';
import { PASSWORD } from '../playwright.config';
import * as fs from 'fs';
import * as path from 'path';

// An officer asks for an account, confirms her address from the email, a moderator approves
// her request, and she signs in to her authority's workspace.

/** The emails of the outbox, decoded as a mail reader would (quoted-printable). */
function outbox(): string[] {
  const dir = path.join(process.env.ATLAS_E2E_DIR!, 'outbox');
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).map((f) =>
    fs
      .readFileSync(path.join(dir, f), 'utf8')
      .replace(/=\r?\n/g, '')
      .replace(/((?:=[0-9A-F]{2})+)/g, (m) =>
        Buffer.from(m.split('=').slice(1).map((h) => parseInt(h, 16))).toString('utf8'),
      ),
  );
}

test('an officer asks for an account, confirms it, is approved and signs in', async ({ page }, info) => {
  const email = `agent.${info.project.name}.${Date.now()}@chambery.fr`;
  await page.goto('/connexion');
  await page.getByRole('link', { name: 'Demander un compte' }).click();
  await expect(page.getByRole('heading', { name: 'Demander un compte' })).toBeVisible();
  await page.getByLabel('une collectivité territoriale française').check();
  await page.getByLabel('Adresse électronique').fill(email);
  if (info.project.name === 'hydrated') {
    // As in the legacy atlas, her authority is found by typing its first letters: the field
    // proposes, the arrows and Enter choose, and it then holds the authority's identity.
    const authority = page.getByRole('combobox', { name: 'Votre collectivité' });
    await authority.pressSequentially('Chambé');
    const option = page.getByRole('option', { name: /^Chambéry Commune/ });
    await expect(option).toBeVisible();
    const place = Number((await option.getAttribute('id'))!.split('-').pop());
    for (let i = 0; i <= place; i++) await authority.press('ArrowDown');
    await expect(authority).toHaveAttribute('aria-activedescendant', `authority-proposition-${place}`);
    await expect(option).toHaveAttribute('aria-selected', 'true');
    await authority.press('Enter');
    await expect(authority).toHaveValue('commune-73065');
    await expect(authority).toHaveAttribute('aria-expanded', 'false');
    await expect(page.getByText('Choisie : Chambéry (commune-73065)')).toBeVisible();
  } else {
    await page.getByLabel('Votre collectivité').fill('Chambéry');
  }
  await page.getByLabel('Votre fonction').fill('Chargée de mission coopération');
  await page.getByLabel('Mot de passe (12 caractères au moins)').fill(PASSWORD);
  await page.getByRole('button', { name: 'Envoyer la demande' }).click();
  await expect(page.getByRole('status')).toContainText('Demande reçue');

  const mail = outbox().find((m) => m.includes(`To: ${email}`));
  expect(mail, 'the confirmation email').toBeTruthy();
  const confirm = mail!.match(/http:\/\/\S+\/compte\/confirmer\?jeton=[0-9a-f]+/)![0];
  await page.goto(new URL(confirm).pathname + new URL(confirm).search);
  await expect(page.getByRole('status')).toContainText('Adresse confirmée');

  // The national moderator approves it.
  const moderator = await page.context().browser()!.newContext({ locale: 'fr-FR', javaScriptEnabled: info.project.use.javaScriptEnabled });
  const mod = await moderator.newPage();
  await mod.goto('/connexion');
  await mod.getByLabel('Adresse électronique').fill('moderation@diplomatie.gouv.fr');
  await mod.getByLabel('Mot de passe').fill(PASSWORD);
  await mod.getByRole('button', { name: 'Se connecter' }).click();
  await mod.waitForURL('**/espace');
  await mod.getByRole('link', { name: 'Demandes de compte' }).click();
  await mod.getByRole('button', { name: `Accepter ${email}` }).click();
  await expect(mod.getByRole('status')).toContainText('Décision enregistrée');
  await moderator.close();
  expect(outbox().some((m) => m.includes(`To: ${email}`) && m.includes('Votre compte est ouvert'))).toBe(true);

  await page.goto('/connexion');
  await page.getByLabel('Adresse électronique').fill(email);
  await page.getByLabel('Mot de passe').fill(PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL('**/espace');
  await expect(page.getByRole('region', { name: 'Mes collectivités', exact: true })).toContainText('Chambéry');
});

test('an officer makes a personal API token, her tool uses it, she revokes it', async ({ page, playwright, baseURL }, info) => {
  const name = `Tableur ${info.project.name} ${Date.now()}`;
  await page.goto('/connexion?retour=/compte');
  await page.getByLabel('Adresse électronique').fill('agent@chambery.fr');
  await page.getByLabel('Mot de passe').fill(PASSWORD);
  await page.getByLabel('Mot de passe').press('Enter');
  await page.waitForURL('**/compte');
  const tokens = page.getByRole('region', { name: "Jetons d'accès à l'API" });
  await tokens.getByLabel('Nom du jeton').fill(name);
  await tokens.getByLabel('Nom du jeton').press('Enter');
  await expect(page.getByRole('status')).toContainText('Copiez-le maintenant');
  const secret = (await page.locator('#nouveau-jeton').textContent())!.trim();
  expect(secret).toMatch(/^atlas_[0-9a-f]{64}$/);
  await expect(page.getByRole('row', { name: new RegExp(name) })).toContainText('jamais');

  // The authority's tool: no cookie, just the token.
  const tool = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${secret}` } });
  const me = await tool.get('/api/v1/auth/me');
  expect(me.status()).toBe(200);
  expect((await me.json()).email).toBe('agent@chambery.fr');

  // Shown once: gone after a reload, the row stays.
  await page.reload();
  await expect(page.locator('#nouveau-jeton')).toHaveCount(0);
  await page.getByRole('button', { name: `Révoquer ${name}` }).click();
  await expect(page.getByRole('status')).toContainText('Jeton révoqué');
  await expect(page.getByRole('row', { name: new RegExp(name) })).toHaveCount(0);
  expect((await tool.get('/api/v1/auth/me')).status()).toBe(401);
  await tool.dispose();
});
