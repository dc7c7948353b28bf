//! A text field for a French authority. Without JavaScript it is a plain field, and the server
//! resolves what was typed (a name, an identity, an INSEE code or a SIREN). Once hydrated it
//! proposes the authorities whose name starts with what is typed, after a short pause, as an
//! ARIA 1.2 combobox: the arrows move through the proposals, Enter chooses one, Escape closes
//! them. Choosing writes the authority's identity (`commune-73065`) in the field and says which
//! authority it is.

use crate::api::account::find_authorities;
use crate::components::labels::kind_label;
use crate::i18n::*;
use crate::models::AuthorityCandidate;
use leptos::prelude::*;

/// The pause after the last key before proposals are looked up.
const TYPING_PAUSE_MS: u32 = 250;

#[component]
pub fn AuthorityPicker(
    /// The field's id and name.
    name: String,
    /// What the field holds when the page is rendered.
    value: String,
    /// The ids of the hint and the error, for `aria-describedby`.
    described: Option<String>,
    invalid: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let (text, set_text) = signal(value.clone());
    let (proposals, set_proposals) = signal(Vec::<AuthorityCandidate>::new());
    let (active, set_active) = signal(None::<usize>);
    let (open, set_open) = signal(false);
    let (chosen, set_chosen) = signal(None::<AuthorityCandidate>);
    // The combobox roles only once hydrated: without JavaScript nothing would open.
    let (interactive, set_interactive) = signal(false);
    Effect::new(move |_| set_interactive.set(true));
    // Only ever set in the browser (a wrapped timer is dropped on the thread that made it).
    let timer = StoredValue::new(None::<send_wrapper::SendWrapper<gloo_timers::callback::Timeout>>);

    let list_id = format!("{name}-propositions");
    let list_markup_id = list_id.clone();
    let option_id = {
        let name = name.clone();
        move |i: usize| format!("{name}-proposition-{i}")
    };
    let on_input = move |ev: leptos::ev::Event| {
        let typed = event_target_value(&ev);
        set_text.set(typed.clone());
        set_chosen.set(None);
        let timeout = gloo_timers::callback::Timeout::new(TYPING_PAUSE_MS, move || {
            if typed.trim().chars().count() < 2 {
                set_open.set(false);
                set_proposals.set(Vec::new());
                return;
            }
            leptos::task::spawn_local(async move {
                let found = find_authorities(typed).await.unwrap_or_default();
                set_active.set(None);
                set_open.set(!found.is_empty());
                set_proposals.set(found);
            });
        });
        timer.set_value(Some(send_wrapper::SendWrapper::new(timeout)));
    };
    let choose = move |i: usize| {
        if let Some(found) = proposals.with_untracked(|p| p.get(i).cloned()) {
            set_text.set(found.id.clone());
            set_chosen.set(Some(found));
            set_open.set(false);
            set_active.set(None);
        }
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let count = proposals.with_untracked(Vec::len);
        match ev.key().as_str() {
            "ArrowDown" if count > 0 => {
                ev.prevent_default();
                set_open.set(true);
                set_active.update(|a| *a = Some(a.map_or(0, |i| (i + 1) % count)));
            }
            "ArrowUp" if count > 0 => {
                ev.prevent_default();
                set_open.set(true);
                set_active.update(|a| *a = Some(a.map_or(count - 1, |i| (i + count - 1) % count)));
            }
            "Enter" if open.get_untracked() => {
                if let Some(i) = active.get_untracked() {
                    ev.prevent_default();
                    choose(i);
                }
            }
            "Escape" if open.get_untracked() => {
                ev.prevent_default();
                set_open.set(false);
                set_active.set(None);
            }
            _ => {}
        }
    };
    let options = {
        let option_id = option_id.clone();
        move || {
            proposals
                .get()
                .into_iter()
                .enumerate()
                .map(|(i, found)| {
                    view! {
                        <li id=option_id(i) role="option"
                            aria-selected=move || if active.get() == Some(i) { "true" } else { "false" }
                            on:mousedown=move |ev| {
                                // Keeps the focus in the field.
                                ev.prevent_default();
                                choose(i);
                            }>
                            {found.name.clone()} " "
                            <span class="muted">{kind_label(found.kind)} " · " {found.id.clone()}</span>
                        </li>
                    }
                })
                .collect_view()
        }
    };
    view! {
        <div class="picker">
            <input type="text" id=name.clone() name=name value=value prop:value=move || text.get()
                autocomplete="off"
                role=move || interactive.get().then_some("combobox")
                aria-autocomplete=move || interactive.get().then_some("list")
                aria-expanded=move || interactive.get().then(|| if open.get() { "true" } else { "false" })
                aria-controls=move || interactive.get().then(|| list_id.clone())
                aria-activedescendant=move || active.get().map(option_id.clone())
                aria-describedby=described aria-invalid=invalid.then_some("true")
                on:input=on_input on:keydown=on_keydown
                on:blur=move |_| set_open.set(false)/>
            <ul id=list_markup_id
                role="listbox" class="picker-options" hidden=move || !open.get()
                aria-label=move || t_string!(i18n, picker_proposals).to_string()>
                {options}
            </ul>
            <p class="picker-chosen" aria-live="polite">
                {move || chosen.get().map(|c| view! { {t!(i18n, picker_chosen)} " " <strong>{c.name}</strong> " (" {c.id} ")" })}
            </p>
        </div>
    }
}
