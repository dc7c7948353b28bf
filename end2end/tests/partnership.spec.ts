import { expect, test } from '../fixtures';
import { PartnershipPage } from '../pages/partnership-page';

// The seed page of the legacy atlas is the first partnership the demo set imports.
const SEED_ID = 1;
const SEED_TITLE =
  'Accompagnement à la structuration d’un dispositif social de proximité porteur d’un programme territorial d’action sociale';

test('a reader finds every section of the seed partnership, in French', async ({ page }) => {
  const p = new PartnershipPage(page);
  const response = await p.open(SEED_ID);
  expect(response?.status()).toBe(200);
  await p.expectLanguage('fr');
  await expect(page).toHaveTitle(new RegExp(SEED_TITLE.slice(0, 40)));
  await expect(p.heading()).toHaveText(SEED_TITLE);
  await expect(page.locator('meta[name="description"]')).toHaveAttribute('content', /Plan d’Action de la Commune/);

  await expect(page.getByText('Politique, humanitaire et coopération transfrontalière › Gouvernance locale et appui institutionnel')).toBeVisible();
  const summary = page.getByRole('region', { name: 'En bref' });
  await expect(summary).toContainText('En cours');
  await expect(summary).toContainText('2019');
  await expect(summary).toContainText('31 décembre 2021');
  await expect(summary).toContainText('2005');
  await expect(summary).toContainText('Projet de coopération décentralisée');
  await expect(summary).toContainText('Triennale');

  for (const name of ['Contexte', 'Historique', 'Objectifs', 'Description détaillée', 'Mise en œuvre', 'Partenaires', 'Financement', 'Évaluation et communication', 'Contacts à l\'ambassade']) {
    await expect(p.section(name)).toBeVisible();
  }
  await expect(p.section('Objectifs')).toContainText('Objectifs en France');
  await expect(p.section('Mise en œuvre')).toContainText('Mantes la Jolie, Municipalité de Rabat');

  const partners = p.section('Partenaires');
  await expect(partners).toContainText('Municipalité de Rabat');
  await expect(partners).toContainText('Maroc');
  await expect(partners).toContainText('Mantes la Jolie');
  await expect(partners).toContainText('78361');
  await expect(partners.getByRole('row', { name: /BOUCHAM/ })).toContainText('Vice Présidente en charge de l\'action sociale');

  const funding = p.section('Financement');
  await expect(funding.getByRole('table', { name: /Financements du partenariat/ }).locator('tbody tr')).toHaveCount(9);
  await expect(funding.locator('tfoot')).toContainText('113\u202f850\u00a0€');
  await expect(funding.getByRole('table', { name: 'Total par financeur' })).toContainText('74\u202f250\u00a0€');

  const embassy = p.section('Contacts à l\'ambassade');
  await expect(embassy).toContainText('Ambassade de France à Rabat');
  await expect(embassy).toContainText('Correspondant coopération décentralisée');
  await expect(embassy).toContainText('Frédérick BOUIN');
  await expect(p.section('Évaluation et communication')).toContainText('Oui');

  // Nothing of the legacy page's leaked labels.
  const body = await page.locator('body').innerText();
  for (const noise of ['???', 'pagination.page', 'commun.ico', '[at]']) {
    expect(body).not.toContain(noise);
  }
  // Landmarks.
  await expect(page.getByRole('banner')).toHaveCount(1);
  await expect(page.getByRole('main')).toHaveCount(1);
  await expect(page.getByRole('contentinfo')).toHaveCount(1);
  await expect(page.getByRole('navigation', { name: 'Sections du site' })).toBeVisible();
});

test('emails are usable but never whole in the HTML', async ({ page, javaScriptEnabled }) => {
  const p = new PartnershipPage(page);
  await p.open(SEED_ID);
  const html = await (await page.request.get(`/partenariats/${SEED_ID}`)).text();
  expect(html).not.toContain('frederick.coopdec@gmail.com');
  expect(html).not.toContain('sabahboucham@gmail.com');
  const embassy = p.section('Contacts à l\'ambassade');
  if (javaScriptEnabled) {
    await expect(embassy.getByRole('link', { name: 'frederick.coopdec@gmail.com' })).toHaveAttribute(
      'href',
      'mailto:frederick.coopdec@gmail.com',
    );
  } else {
    await expect(embassy).toContainText('frederick.coopdec [arobase] gmail.com');
  }
});

test('the language switch shows the page in English and back', async ({ page, javaScriptEnabled }) => {
  const p = new PartnershipPage(page);
  await p.open(SEED_ID);
  await p.expectLanguage('fr');
  // A plain link: the server remembers the choice and shows the same page again.
  await p.languageSwitch().click();
  await p.expectLanguage('en');
  await expect(p.section('Funding')).toBeVisible();
  await expect(p.section('Funding').locator('tfoot')).toContainText('€113,850');
  await expect(p.section('At a glance')).toContainText('31 December 2021');
  await expect(p.section('At a glance')).toContainText('Ongoing');
  await expect(p.section('Partners')).toContainText('Morocco');
  await expect(page.getByRole('navigation', { name: 'Site sections' })).toBeVisible();
  if (javaScriptEnabled) {
    // The page reloaded in English hydrates its islands: the emails become links.
    await page.waitForFunction(() => document.querySelector('a[href^="mailto:"]') !== null);
  }
  // The choice is remembered by the server.
  await page.reload();
  await p.expectLanguage('en');
  await expect(p.heading()).toBeVisible();
  await p.languageSwitch().click();
  await p.expectLanguage('fr');
  await expect(p.section('Financement')).toBeVisible();
});

test('an unknown partnership is a real 404 page', async ({ page }) => {
  const p = new PartnershipPage(page);
  const response = await p.open(987654);
  expect(response?.status()).toBe(404);
  await expect(p.heading()).toHaveText('Page introuvable');
  await expect(page.getByRole('link', { name: 'Revenir à l\'accueil' })).toBeVisible();
});

test('a slug after the id leads to the same page, reachable from the list', async ({ page }) => {
  await page.goto('/partenariats');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Partenariats de coopération décentralisée');
  await page.goto(`/partenariats/${SEED_ID}-accompagnement-a-la-structuration`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(SEED_TITLE);
});
