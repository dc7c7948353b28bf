use crate::i18n::*;
use leptos::prelude::*;

/// An email address that harvesters reading the HTML do not get whole: it arrives concealed
/// (`conceal_email`), the server writes "name [arobase] domain" (read naturally by screen
/// readers); the island, hydrated, assembles a real `mailto:` link.
#[island]
pub fn Email(concealed: String) -> impl IntoView {
    let i18n = use_i18n();
    let address = crate::models::reveal_email(&concealed).unwrap_or_default();
    let (user, domain) = match address.split_once('@') {
        Some((u, d)) => (u.to_string(), d.to_string()),
        None => (address.clone(), String::new()),
    };
    let hydrated = RwSignal::new(false);
    let linkable = !domain.is_empty();
    Effect::new(move |_| hydrated.set(true));
    view! {
        <Show
            when=move || hydrated.get() && linkable
            fallback={
                let (user, domain) = (user.clone(), domain.clone());
                move || view! {
                    <span class="email">
                        {user.clone()} " [" {t!(i18n, email_at)} "] " {domain.clone()}
                    </span>
                }
            }
        >
            {
                let full = format!("{}@{}", user, domain);
                view! { <a class="email" href=format!("mailto:{full}")>{full.clone()}</a> }
            }
        </Show>
    }
}
