import { expect, type Page } from '@playwright/test';

/** The search page, as a reader uses it: text, facet links, the year range, chips. */
export class SearchPage {
  constructor(readonly page: Page, readonly hydrated: boolean) {}

  async open(query = '') {
    const response = await this.page.goto(`/partenariats${query}`);
    if (this.hydrated) {
      await expect(this.page.locator('.search-bar[data-interactive="true"]')).toBeAttached({ timeout: 15_000 });
    }
    return response;
  }

  facet(key: string) {
    return this.page.locator(`section.facet[aria-labelledby="facette-${key}"]`);
  }

  value(key: string, code: string) {
    return this.page.locator(`a.facet-value[data-facet="${key}"][data-value="${code}"]`);
  }

  /** Ticks a value, opening "see all" or the sub-themes when it is folded away. */
  async tick(key: string, code: string) {
    const link = this.value(key, code);
    if (!(await link.isVisible())) {
      const folds = this.facet(key).locator('details:not([open]) > summary');
      for (let i = 0; i < (await folds.count()) && !(await link.isVisible()); i++) {
        await folds.nth(i).click();
      }
    }
    const before = this.page.url();
    await link.click();
    await expect(this.page).not.toHaveURL(before);
    await this.settled();
  }

  async search(text: string) {
    const box = this.page.getByRole('searchbox', { name: 'Rechercher' });
    if (this.hydrated) {
      // Typing searches by itself after a pause.
      await box.pressSequentially(text, { delay: 40 });
      await expect(this.page).toHaveURL(new RegExp(`q=${encodeURIComponent(text)}`));
    } else {
      await box.fill(text);
      await box.press('Enter');
      await expect(this.page).toHaveURL(new RegExp(`q=${encodeURIComponent(text)}`));
    }
    await this.settled();
  }

  async startYearFrom(year: number) {
    await this.page.locator('#champ-start_year_min').fill(String(year));
    await this.facet('start_year').getByRole('button', { name: 'OK' }).click();
    await expect(this.page).toHaveURL(new RegExp(`start_year_min=${year}`));
    await this.settled();
  }

  /** Waits for the results to follow the URL. */
  async settled() {
    await expect(this.page.locator('.loading-indicator')).toBeEmpty();
  }

  async count(): Promise<number> {
    const text = await this.page.locator('.result-count strong').innerText();
    return Number(text.replace(/\D/g, ''));
  }

  chips() {
    return this.page.locator('.chips .chip');
  }

  /** The search's query string as the API takes it. */
  apiQuery() {
    const url = new URL(this.page.url());
    const params = new URLSearchParams();
    url.searchParams.forEach((value, key) => {
      if (value !== '' && key !== 'sort') params.append(key, value);
    });
    return params.toString();
  }
}
