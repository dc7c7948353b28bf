//! The French embassy's contacts in a country, as the country page and "who else works
//! there" show them: each with its role and name, emails concealed from harvesters.

use crate::components::email::Email;
use crate::components::labels::role_label;
use crate::i18n::*;
use crate::models::{Embassy, EmbassyContact};
use leptos::prelude::*;

/// The contacts, one per line.
#[component]
pub fn ContactList(contacts: Vec<EmbassyContact>) -> impl IntoView {
    view! {
        <ul>
            {contacts.into_iter().map(|c| view! {
                <li>
                    {role_label(c.role)} " : " {c.name}
                    {c.email.map(|m| view! { " — " <Email concealed=m/> })}
                </li>
            }).collect_view()}
        </ul>
    }
}

/// The embassy that can put peers in touch, with its contacts.
#[component]
pub fn EmbassyContacts(embassy: Embassy) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="embassy-contacts">
            <p>{t!(i18n, syn_embassy_intro)} " " <strong>{embassy.post}</strong></p>
            <ContactList contacts=embassy.contacts/>
        </div>
    }
}
