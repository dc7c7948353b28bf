use crate::format::euros;
use crate::i18n::*;
use crate::models::{Funding, FundingTotals};
use leptos::prelude::*;

/// The fundings as a table, then totals per year and per funder.
#[component]
pub fn FundingTable(fundings: Vec<Funding>) -> impl IntoView {
    let i18n = use_i18n();
    let totals = FundingTotals::of(&fundings);
    let has_water = fundings.iter().any(|f| f.water_1pct_eur.is_some());
    let money = move |amount: f64| euros(amount, i18n.get_locale());
    let rows = fundings
        .into_iter()
        .map(|f| {
            view! {
                <tr>
                    <th scope="row">{f.funder}</th>
                    <td class="num">{f.year.map(|y| y.to_string())}</td>
                    <td class="num">{move || money(f.amount_eur)}</td>
                    {has_water.then(|| view! {
                        <td class="num">{move || f.water_1pct_eur.map(money)}</td>
                    })}
                </tr>
            }
        })
        .collect_view();
    let total = totals.total;
    let water_total = totals.water_1pct;
    let by_year = totals
        .by_year
        .into_iter()
        .map(|(year, amount)| {
            view! {
                <tr>
                    <th scope="row">{year.map(|y| y.to_string())}</th>
                    <td class="num">{move || money(amount)}</td>
                </tr>
            }
        })
        .collect_view();
    let by_funder = totals
        .by_funder
        .into_iter()
        .map(|(funder, amount)| {
            view! {
                <tr>
                    <th scope="row">{funder}</th>
                    <td class="num">{move || money(amount)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll">
            <table class="data funding">
                <caption>{t!(i18n, p_funding_caption)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, p_funder)}</th>
                        <th scope="col" class="num">{t!(i18n, p_year)}</th>
                        <th scope="col" class="num">{t!(i18n, p_amount)}</th>
                        {has_water.then(|| view! { <th scope="col" class="num">{t!(i18n, p_water)}</th> })}
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
                <tfoot>
                    <tr>
                        <th scope="row">{t!(i18n, p_total)}</th>
                        <td></td>
                        <td class="num total">{move || money(total)}</td>
                        {has_water.then(|| view! { <td class="num">{move || money(water_total)}</td> })}
                    </tr>
                </tfoot>
            </table>
        </div>
        <div class="totals">
            <table class="data">
                <caption>{t!(i18n, p_totals_by_year)}</caption>
                <thead><tr>
                    <th scope="col">{t!(i18n, p_year)}</th>
                    <th scope="col" class="num">{t!(i18n, p_amount)}</th>
                </tr></thead>
                <tbody>{by_year}</tbody>
            </table>
            <table class="data">
                <caption>{t!(i18n, p_totals_by_funder)}</caption>
                <thead><tr>
                    <th scope="col">{t!(i18n, p_funder)}</th>
                    <th scope="col" class="num">{t!(i18n, p_amount)}</th>
                </tr></thead>
                <tbody>{by_funder}</tbody>
            </table>
        </div>
    }
    .into_any()
}
