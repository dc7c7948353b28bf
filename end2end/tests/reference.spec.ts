import { expect, signIn, test } from '../fixtures';
import { baseURL } from '../playwright.config';

// The reference lists, by keyboard: a national moderator adds a sub-theme (refused first, with
// the error next to its field), relabels it, sees it reach the search, and deletes it; an
// embassy keeps its contacts, and the public partnership page shows them.

test('a national moderator adds a theme, relabels it, the search has it, and deletes it', async ({ page }, info) => {
  const suffix = info.project.name === 'hydrated' ? 'H' : 'N';
  const code = `DUR.EAU.E2E${suffix}`;
  await signIn(page, 'moderation@diplomatie.gouv.fr');
  // A retry starts from the same state.
  const left = await page.request.get(`/api/v1/admin/themes/${code}`);
  if (left.ok()) {
    const entry = await left.json();
    await page.request.delete(`/api/v1/admin/themes/${code}?version=${entry.version}`, { headers: { Origin: baseURL } });
  }

  await page.getByRole('link', { name: 'Thématiques' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Thématiques' })).toBeVisible();
  await expect(page.getByRole('row', { name: /DUR\.EAU\.POT/ })).toContainText("Accès à l'eau potable");

  await page.getByLabel('Thématique parente').selectOption('DUR.EAU');
  await page.getByLabel('Code', { exact: true }).fill(`DUR.PLUIE${suffix}`);
  await page.getByLabel('Libellé en français').fill(`Eaux pluviales ${suffix}`);
  await page.getByLabel('Libellé en anglais').fill(`Stormwater ${suffix}`);
  await page.getByLabel('Libellé en anglais').press('Enter');
  await expect(page.getByRole('alert')).toContainText('commence par celui de son parent');
  await expect(page.getByLabel('Code', { exact: true })).toHaveAccessibleDescription(/commence par celui de son parent : DUR\.EAU\./);
  await expect(page.getByLabel('Libellé en français')).toHaveValue(`Eaux pluviales ${suffix}`);
  await expect(page.getByLabel('Thématique parente')).toHaveValue('DUR.EAU');

  await page.getByLabel('Code', { exact: true }).fill(code);
  await page.getByLabel('Code', { exact: true }).press('Enter');
  await expect(page.getByRole('status')).toContainText('Entrée ajoutée');
  await expect(page.getByRole('heading', { level: 1 })).toContainText(code);

  await page.getByLabel('Libellé en français').fill(`Gestion des eaux pluviales ${suffix}`);
  await page.getByLabel('Libellé en français').press('Enter');
  await expect(page.getByRole('status')).toContainText('Modification enregistrée');
  await expect(page.getByLabel('Libellé en français')).toHaveValue(`Gestion des eaux pluviales ${suffix}`);

  // Every server rebuilds its index from the change log: the search knows the new label.
  await expect(async () => {
    const themes = await (await page.request.get('/api/v1/themes')).text();
    expect(themes).toContain(`Gestion des eaux pluviales ${suffix}`);
  }).toPass({ timeout: 20_000 });
  const filtered = await page.request.get(`/api/v1/partnerships?theme=${code}`);
  expect(filtered.status()).toBe(200);

  await page.getByRole('button', { name: 'Supprimer' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Entrée supprimée' })).toBeVisible();
  await expect(page.getByRole('row', { name: new RegExp(code.replace(/\./g, '\\.')) })).toHaveCount(0);
});

test('an embassy keeps its contacts and the public page shows them', async ({ page }, info) => {
  // One embassy per browser project, so that the two never edit the same one at once.
  const [email, country, countryName] = info.project.name === 'hydrated'
    ? ['coop@ambafrance-bf.org', 'BF', 'Burkina Faso']
    : ['moderation@diplomatie.gouv.fr', 'ML', 'Mali'];
  const name = `Service e2e ${info.project.name}`;
  await signIn(page, email);
  await page.getByRole('link', { name: 'Ambassades et contacts' }).click();
  await page.getByRole('link', { name: countryName, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(countryName);

  // The first blank row: after the saved contacts.
  const rows = page.locator('fieldset.row');
  const blank = rows.filter({ has: page.locator('input[name$=".name"][value=""]') }).first();
  await blank.getByLabel('Rôle').selectOption('other');
  await blank.getByLabel('Nom ou service').fill(name);
  await blank.getByLabel('Adresse électronique').fill('pas une adresse');
  await blank.getByLabel('Adresse électronique').press('Enter');
  await expect(page.getByRole('alert')).toContainText("« pas une adresse » n'est pas une adresse électronique");
  await expect(page.locator('input[value="pas une adresse"]')).toHaveAccessibleDescription(/n'est pas une adresse électronique/);
  await page.locator('input[value="pas une adresse"]').fill(`e2e.${info.project.name}@example.org`);
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByRole('status')).toContainText('Modification enregistrée');

  // The public page of a partnership in that country shows the contact (and the email only
  // to people: it is not in the HTML as text).
  // (One whose page shows that country's embassy: a partnership with partners in several
  // countries shows its first partner's.)
  const found = await (await page.request.get(`/api/v1/partnerships?country=${country}&per_page=20`)).json();
  let id: number | undefined;
  for (const item of found.items) {
    const partnership = await (await page.request.get(`/api/v1/partnerships/${item.id}`)).json();
    if (partnership.embassy?.country === country) {
      id = item.id;
      break;
    }
  }
  expect(id, `a partnership showing the embassy in ${country}`).toBeTruthy();
  await expect(async () => {
    await page.goto(`/partenariats/${id}`);
    await expect(page.getByRole('main')).toContainText(name, { timeout: 2_000 });
  }).toPass({ timeout: 20_000 });

  // Removed again, by its checkbox.
  await page.goto(`/administration/ambassades/${country}`);
  const row = rows.filter({ has: page.locator(`input[value="${name}"]`) });
  await row.getByLabel('Retirer ce contact').check();
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByRole('status')).toContainText('Modification enregistrée');
  await expect(page.locator(`input[value="${name}"]`)).toHaveCount(0);
});
