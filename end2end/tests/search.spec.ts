import { expect, test } from '../fixtures';
import * as fs from 'fs';
import { SearchPage } from '../pages/search-page';

test('a journalist narrows, shares, downloads and opens an authority', async ({ page, javaScriptEnabled, browser }) => {
  test.setTimeout(120_000);
  const search = new SearchPage(page, javaScriptEnabled);
  await search.open();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Partenariats de coopération décentralisée');
  const everything = await search.count();
  expect(everything).toBeGreaterThan(250);

  await search.search('eau');
  const withText = await search.count();
  expect(withText).toBeLessThan(everything);
  if (javaScriptEnabled) {
    // Results put in place as one types: their count is said to screen readers.
    await expect(page.locator('.result-announce[role="status"]')).toHaveText(await page.locator('.result-count').innerText());
  }
  await expect(page.locator('.results mark').first()).toBeVisible();

  await search.tick('country', 'SN');
  await search.tick('country', 'ML');
  const twoCountries = await search.count();
  await expect(search.chips()).toHaveCount(3);
  // The country facet keeps the other countries' counts: ticking another would widen.
  await expect(search.value('country', 'MA')).toBeAttached();

  await search.tick('theme', 'DUR');
  await search.tick('theme', 'DUR.EAU');
  await search.startYearFrom(2015);
  const narrowed = await search.count();
  expect(narrowed).toBeLessThanOrEqual(twoCountries);
  await expect(search.chips()).toHaveCount(6);
  for (const year of await page.locator('.result .meta.secondary').allInnerTexts()) {
    const start = Number(/Début du partenariat (\d{4})/.exec(year)?.[1]);
    expect(start).toBeGreaterThanOrEqual(2015);
  }

  // The page says what the API says for the same filters.
  const api = await page.request.get(`/api/v1/partnerships?${search.apiQuery()}`);
  expect(api.ok()).toBeTruthy();
  const body = await api.json();
  expect(body.total).toBe(narrowed);

  // A colleague opening the link sees the same view.
  const colleague = await browser.newPage({ javaScriptEnabled });
  await colleague.goto(page.url());
  const shared = new SearchPage(colleague, javaScriptEnabled);
  expect(await shared.count()).toBe(narrowed);
  await expect(shared.chips()).toHaveCount(6);
  await colleague.close();

  // The selection as CSV: one row per partnership.
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Télécharger la sélection (CSV)' }).click();
  const file = await (await download).path();
  const lines = fs.readFileSync(file, 'utf8').trim().split('\r\n');
  expect(lines[0]).toContain('id,url,title');
  expect(lines.length - 1).toBe(narrowed);

  // A chip removes its filter; back restores it.
  await page.locator('.chips .chip', { hasText: 'Mali' }).click();
  await expect(page).not.toHaveURL(/country=ML/);
  await search.settled();
  await expect(search.chips()).toHaveCount(5);
  // The mini-map follows, and Back (below) needs one press.
  const miniMap = () => page.frames().find((f) => f.url().includes('/carte/monde.svg'))?.url() ?? '';
  await expect.poll(miniMap).toContain('country=SN');
  await expect.poll(miniMap).not.toContain('country=ML');
  await page.goBack();
  await expect(page).toHaveURL(/country=ML/);
  await search.settled();
  expect(await search.count()).toBe(narrowed);
  await expect(search.chips()).toHaveCount(6);

  // 53 is both Bretagne and Mayenne: the page lists them instead of picking one.
  await page.goto('/collectivites/53');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Plusieurs collectivités ont le code 53');
  await page.getByRole('link', { name: 'Mayenne' }).click();
  await expect(page).toHaveURL(/\/collectivites\/departement-53$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mayenne');
  await page.goto('/collectivites/region-53');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Bretagne');
  await expect(page.getByText('Région').first()).toBeVisible();
});

test.describe('in English', () => {
  test.use({ locale: 'en-US' });
  test('a code shared by a département and a région lists both', async ({ page }) => {
    await page.goto('/collectivites/75');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Several authorities have the code 75');
    await expect(page.getByRole('link', { name: 'Nouvelle-Aquitaine' })).toHaveAttribute('href', '/collectivites/region-75');
    await page.getByRole('link', { name: 'Paris' }).click();
    await expect(page).toHaveURL(/\/collectivites\/departement-75$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Paris');
  });
});

test('clear all empties the search, and bad parameters are reported, not fatal', async ({ page, javaScriptEnabled }) => {
  const search = new SearchPage(page, javaScriptEnabled);
  await search.open('?country=SN&status=ongoing&status=done');
  await expect(page.getByRole('alert')).toContainText('status');
  await expect(search.chips()).toHaveCount(1);
  await page.getByRole('link', { name: 'Tout effacer' }).click();
  await expect(page).toHaveURL(/\/partenariats$/);
  await search.settled();
  await expect(search.chips()).toHaveCount(0);
});

test('clicking a country on the map filters on it', async ({ page }) => {
  await page.goto('/carte');
  const map = page.frameLocator('iframe[src^="/carte/monde.svg"]');
  const senegal = map.locator('a[href*="country=SN"]');
  await expect(senegal).toBeAttached();
  await senegal.focus();
  await expect(senegal.locator('.tip')).toBeVisible();
  await senegal.press('Enter');
  await expect(page).toHaveURL(/\/partenariats\?country=SN/);
  await expect(page.locator('.chips .chip')).toContainText('Sénégal');
  // The accessible alternative gives the same figure.
  await page.goto('/carte');
  await page.getByText('Tableau des pays').click();
  await expect(page.getByRole('row', { name: /Sénégal/ })).toBeVisible();
});

test('country, statistics and partner pages', async ({ page }) => {
  await page.goto('/pays/MA');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Maroc');
  await expect(page.getByRole('heading', { name: 'Collectivités françaises engagées' })).toBeVisible();
  await page.goto('/statistiques?country=SN');
  await expect(page.getByRole('img', { name: /Partenariats commencés par année/ })).toBeVisible();
  await page.getByText('Voir les chiffres').first().click();
  await expect(page.getByRole('table').first()).toBeVisible();
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('the count and the first results come first, the filters fold under "Filtres (n)"', async ({ page, javaScriptEnabled }) => {
    const search = new SearchPage(page, javaScriptEnabled);
    await search.open('?country=SN&status=ongoing');
    const screen = page.viewportSize()!.height;
    const count = await page.locator('.result-count').boundingBox();
    const first = await page.locator('.results > li').first().boundingBox();
    expect(count!.y + count!.height).toBeLessThan(screen);
    expect(first!.y).toBeLessThan(screen);
    // Folded: no facet is shown until the reader opens them, and the control says how many
    // filters are on.
    const toggle = page.locator('.filters-disclosure > summary');
    await expect(toggle).toHaveText(/^Filtres \(2\s*actifs\)$/);
    await expect(search.facet('country')).toBeHidden();
    await toggle.focus();
    await page.keyboard.press('Enter');
    await expect(search.facet('country')).toBeVisible();
    await expect(search.value('country', 'SN')).toHaveClass(/selected/);
  });
});

test('on a wide screen the filters are shown without opening anything', async ({ page, javaScriptEnabled }) => {
  const search = new SearchPage(page, javaScriptEnabled);
  await search.open();
  await expect(page.locator('.filters-disclosure > summary')).toBeHidden();
  await expect(search.facet('country')).toBeVisible();
});
