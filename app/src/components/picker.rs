//! Fields that propose as one types. Each is a plain control without JavaScript (a text field
//! the server resolves, or a `<select>`), and once hydrated an ARIA 1.2 combobox: the arrows
//! move through the proposals, Enter chooses one, Escape closes them.
//!
//! - [`AuthorityPicker`]: a French authority, looked up by name on the server; choosing writes
//!   its identity (`commune-73065`).
//! - [`ForeignPicker`]: a foreign authority, existing (looked up on the server; choosing writes
//!   its id and its country) or new (the name typed, with its country).
//! - [`ChoicePicker`]: one of a list the page already has (the theme tree, the countries),
//!   filtered in the browser; choosing writes its code.

use crate::api::account::{find_authorities, find_foreign_authorities};
use crate::components::labels::kind_text;
use crate::i18n::*;
use crate::models::Choice;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use std::sync::Arc;

/// The pause after the last key before proposals are looked up on the server.
const TYPING_PAUSE_MS: u32 = 250;
/// At most this many proposals from a list.
const MAX_PROPOSALS: usize = 12;

/// One proposal of a combobox.
#[derive(Clone, Debug, PartialEq)]
pub struct Proposal {
    /// What choosing it writes where the form reads it: an identity, an id, a code.
    pub value: String,
    /// What it is called.
    pub label: String,
    /// Said after the label, muted: a kind and a code, a country, a parent theme.
    pub detail: String,
    /// A second value some pickers write too (a foreign authority's country).
    pub extra: Option<String>,
}

/// Where a combobox's proposals come from.
#[derive(Clone)]
enum Source {
    FrenchAuthorities,
    ForeignAuthorities,
    List(Arc<Vec<Proposal>>),
}

impl Source {
    /// The fewest letters worth looking up.
    fn min_typed(&self) -> usize {
        match self {
            Source::List(_) => 1,
            _ => 2,
        }
    }
}

/// Case and the usual Latin accents folded away, for matching what was typed.
pub fn fold(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à' | 'â' | 'ä' | 'á' | 'ã' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' | 'í' => 'i',
            'ô' | 'ö' | 'ó' | 'õ' => 'o',
            'ù' | 'û' | 'ü' | 'ú' => 'u',
            'ç' => 'c',
            'ÿ' => 'y',
            'ñ' => 'n',
            '\'' | '’' | '-' => ' ',
            other => other,
        })
        .collect()
}

/// The proposals of a list whose label contains what was typed, those that start with it
/// first.
fn filter(list: &[Proposal], typed: &str) -> Vec<Proposal> {
    let typed = fold(typed.trim());
    let mut found: Vec<(bool, &Proposal)> = list
        .iter()
        .filter_map(|p| {
            let label = fold(&p.label);
            label
                .contains(&typed)
                .then(|| (!label.starts_with(&typed), p))
        })
        .collect();
    found.sort_by_key(|(later, _)| *later);
    found
        .into_iter()
        .take(MAX_PROPOSALS)
        .map(|(_, p)| p.clone())
        .collect()
}

async fn look_up(source: &Source, typed: String, locale: Locale) -> Vec<Proposal> {
    match source {
        Source::List(list) => filter(list, &typed),
        Source::FrenchAuthorities => find_authorities(typed)
            .await
            .unwrap_or_default()
            .into_iter()
            .map(|found| Proposal {
                detail: format!("{} · {}", kind_text(found.kind, locale), found.id),
                value: found.id,
                label: found.name,
                extra: None,
            })
            .collect(),
        Source::ForeignAuthorities => find_foreign_authorities(typed)
            .await
            .unwrap_or_default()
            .into_iter()
            .map(|found| Proposal {
                value: found.id.to_string(),
                detail: match locale {
                    Locale::fr => found.country_fr,
                    Locale::en => found.country_en,
                },
                label: found.name,
                extra: found.country,
            })
            .collect(),
    }
}

/// Writes a chosen value into a hidden input and says so as a bubbling `change` event, as if
/// it had been typed: the declaration form saves its draft on it.
fn write_hidden(input: NodeRef<leptos::html::Input>, value: &str) {
    let Some(input) = input.get_untracked() else {
        return;
    };
    input.set_value(value);
    let init = leptos::web_sys::EventInit::new();
    init.set_bubbles(true);
    if let Ok(event) = leptos::web_sys::Event::new_with_event_init_dict("change", &init) {
        let _ = input.dispatch_event(&event);
    }
}

/// The combobox itself: a text input with its list of proposals.
#[component]
fn Combobox(
    /// The input's id (its label's `for`).
    id: String,
    /// The input's name when what is typed is posted; `None` when a hidden input carries the
    /// value.
    name: Option<String>,
    /// What the input shows.
    text: RwSignal<String>,
    source: Source,
    /// Called with what was chosen.
    on_choose: Callback<Proposal>,
    /// Called as one types.
    #[prop(optional)]
    on_type: Option<Callback<String>>,
    /// Called when the input is left.
    #[prop(optional)]
    on_leave: Option<Callback<()>>,
    #[prop(into)] described: Signal<Option<String>>,
    #[prop(into)] invalid: Signal<bool>,
    /// The proposals' list name, for screen readers.
    list_label: Signal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (proposals, set_proposals) = signal(Vec::<Proposal>::new());
    let (active, set_active) = signal(None::<usize>);
    let (open, set_open) = signal(false);
    // The combobox roles only once hydrated: without JavaScript nothing would open.
    let (interactive, set_interactive) = signal(false);
    Effect::new(move |_| set_interactive.set(true));
    // Only ever set in the browser (a wrapped timer is dropped on the thread that made it).
    let timer = StoredValue::new(None::<SendWrapper<gloo_timers::callback::Timeout>>);
    let source = StoredValue::new(source);
    // The input shows `text` when a choice writes it; what is typed before the page is
    // hydrated stays (the input's value is never set from the server's at hydration).
    let input = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |hydrated: Option<()>| {
        let wanted = text.get();
        let Some(input) = input.get() else {
            return;
        };
        if hydrated.is_none() {
            let typed = input.value();
            if typed != wanted {
                text.set(typed);
            }
        } else if input.value() != wanted {
            input.set_value(&wanted);
        }
    });

    let list_id = format!("{id}-propositions");
    let list_markup_id = list_id.clone();
    let option_id = {
        let id = id.clone();
        move |i: usize| format!("{id}-proposition-{i}")
    };
    let show = move |found: Vec<Proposal>| {
        set_active.set(None);
        set_open.set(!found.is_empty());
        set_proposals.set(found);
    };
    let on_input = move |ev: leptos::ev::Event| {
        let typed = event_target_value(&ev);
        text.set(typed.clone());
        if let Some(on_type) = on_type {
            on_type.run(typed.clone());
        }
        let source = source.get_value();
        let locale = i18n.get_locale_untracked();
        if typed.trim().chars().count() < source.min_typed() {
            set_open.set(false);
            set_proposals.set(Vec::new());
            return;
        }
        if let Source::List(_) = source {
            leptos::task::spawn_local(async move { show(look_up(&source, typed, locale).await) });
            return;
        }
        let timeout = gloo_timers::callback::Timeout::new(TYPING_PAUSE_MS, move || {
            leptos::task::spawn_local(async move { show(look_up(&source, typed, locale).await) });
        });
        timer.set_value(Some(SendWrapper::new(timeout)));
    };
    let choose = move |i: usize| {
        if let Some(found) = proposals.with_untracked(|p| p.get(i).cloned()) {
            set_open.set(false);
            set_active.set(None);
            on_choose.run(found);
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
                            {found.label} " "
                            <span class="muted">{found.detail}</span>
                        </li>
                    }
                })
                .collect_view()
        }
    };
    view! {
        <input type="text" id=id name=name value=text.get_untracked() node_ref=input
            autocomplete="off"
            role=move || interactive.get().then_some("combobox")
            aria-autocomplete=move || interactive.get().then_some("list")
            aria-expanded=move || interactive.get().then(|| if open.get() { "true" } else { "false" })
            aria-controls=move || interactive.get().then(|| list_id.clone())
            aria-activedescendant=move || active.get().map(option_id.clone())
            aria-describedby=described aria-invalid=move || invalid.get().then_some("true")
            on:input=on_input on:keydown=on_keydown
            on:blur=move |_| {
                set_open.set(false);
                if let Some(on_leave) = on_leave {
                    on_leave.run(());
                }
            }/>
        <ul id=list_markup_id
            role="listbox" class="picker-options" hidden=move || !open.get()
            aria-label=move || list_label.get()>
            {options}
        </ul>
    }
}

/// A French authority: a plain field the server resolves (a name, an identity, an INSEE code
/// or a SIREN); hydrated, it proposes the authorities whose name starts with what is typed,
/// and choosing writes the identity and says which authority it is.
#[component]
pub fn AuthorityPicker(
    /// The field's id and name.
    name: String,
    /// What the field holds when the page is rendered.
    value: String,
    /// The ids of the hint and the error, for `aria-describedby`.
    #[prop(into)]
    described: Signal<Option<String>>,
    #[prop(into)] invalid: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let text = RwSignal::new(value);
    let chosen = RwSignal::new(None::<Proposal>);
    let on_choose = Callback::new(move |found: Proposal| {
        text.set(found.value.clone());
        chosen.set(Some(found));
    });
    let on_type = Callback::new(move |_: String| chosen.set(None));
    let list_label = Signal::derive(move || t_string!(i18n, picker_proposals).to_string());
    view! {
        <div class="picker">
            <Combobox id=name.clone() name=Some(name) text source=Source::FrenchAuthorities
                on_choose on_type described invalid list_label/>
            <p class="picker-chosen" aria-live="polite">
                {move || chosen.get().map(|c| view! { {t!(i18n, picker_chosen)} " " <strong>{c.label}</strong> " (" {c.value} ")" })}
            </p>
        </div>
    }
}

/// `AuthorityPicker` on a page that is not an island (the account request): an island of its
/// own, loaded only where it is.
#[island(lazy)]
pub fn AuthorityField(
    name: String,
    value: String,
    described: Option<String>,
    invalid: bool,
) -> impl IntoView {
    view! { <AuthorityPicker name value described invalid/> }
}

/// A foreign authority: its name (posted as typed: a new authority, or the server finds the
/// existing one of that name in that country) and its country. Hydrated, the name proposes
/// the existing authorities; choosing one writes its id in the hidden `id_name` and its
/// country in the country's field. Typing again makes it a new one.
#[component]
pub fn ForeignPicker(
    /// The names of the name's input and of the id's hidden input.
    name: String,
    id_name: String,
    value: String,
    /// The country chosen, written when an existing authority is chosen.
    country: RwSignal<String>,
    #[prop(into)] described: Signal<Option<String>>,
    #[prop(into)] invalid: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let text = RwSignal::new(value);
    let id = RwSignal::new(String::new());
    let id_input = NodeRef::<leptos::html::Input>::new();
    let chosen = RwSignal::new(None::<Proposal>);
    let on_choose = Callback::new(move |found: Proposal| {
        text.set(found.label.clone());
        id.set(found.value.clone());
        if let Some(iso2) = &found.extra {
            country.set(iso2.clone());
        }
        write_hidden(id_input, &found.value);
        chosen.set(Some(found));
    });
    let on_type = Callback::new(move |_: String| {
        id.set(String::new());
        chosen.set(None);
    });
    let list_label = Signal::derive(move || t_string!(i18n, picker_foreign_proposals).to_string());
    view! {
        <div class="picker">
            <Combobox id=name.clone() name=Some(name) text source=Source::ForeignAuthorities
                on_choose on_type described invalid list_label/>
            <input type="hidden" name=id_name value="" prop:value=move || id.get() node_ref=id_input/>
            <p class="picker-chosen" aria-live="polite">
                {move || chosen.get().map(|c| view! { {t!(i18n, picker_foreign_chosen)} " " <strong>{c.label}</strong> " (" {c.detail} ")" })}
            </p>
        </div>
    }
}

/// One of a list: a `<select>` without JavaScript; hydrated, a combobox that filters the
/// list as one types (the whole tree path is said for a theme), with the chosen code in a
/// hidden input of the same name. Leaving the field without choosing puts back what was
/// chosen; emptying it chooses nothing.
#[component]
pub fn ChoicePicker(
    /// The field's id and name.
    name: String,
    /// The chosen code.
    value: RwSignal<String>,
    choices: Vec<Choice>,
    /// The empty choice's label.
    none: Signal<String>,
    /// The proposals' list name, for screen readers.
    list_label: Signal<String>,
    #[prop(into)] described: Signal<Option<String>>,
    #[prop(into)] invalid: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (interactive, set_interactive) = signal(false);
    let chosen_before = NodeRef::<leptos::html::Select>::new();
    Effect::new(move |_| {
        // A choice made in the select before the page was hydrated stays.
        if let Some(select) = chosen_before.get_untracked() {
            value.set(select.value());
        }
        set_interactive.set(true)
    });
    let locale = i18n.get_locale_untracked();
    let proposals = Arc::new(proposals_of(&choices, locale));
    let label_of = {
        let proposals = proposals.clone();
        move |code: &str| {
            proposals
                .iter()
                .find(|p| p.value == code)
                .map(|p| p.label.clone())
                .unwrap_or_default()
        }
    };
    let text = RwSignal::new(label_of(&value.get_untracked()));
    // What another field chooses (a foreign authority's country) shows here too.
    Effect::new({
        let label_of = label_of.clone();
        move |_| text.set(label_of(&value.get()))
    });
    let hidden = NodeRef::<leptos::html::Input>::new();
    // The label follows from the value (the effect above).
    let on_choose = Callback::new(move |found: Proposal| {
        value.set(found.value.clone());
        write_hidden(hidden, &found.value);
    });
    let on_leave = {
        let label_of = label_of.clone();
        Callback::new(move |_: ()| {
            if text.get_untracked().trim().is_empty() {
                if !value.get_untracked().is_empty() {
                    value.set(String::new());
                    write_hidden(hidden, "");
                }
            } else {
                text.set(label_of(&value.get_untracked()));
            }
        })
    };
    let select = {
        let name = name.clone();
        move || {
            let options = choice_options(&choices, &value.get_untracked());
            view! {
                <select id=name.clone() name=name.clone() aria-describedby=described node_ref=chosen_before
                    aria-invalid=move || invalid.get().then_some("true")
                    on:change=move |ev| value.set(event_target_value(&ev))>
                    <option value="">{move || none.get()}</option>
                    {options}
                </select>
            }
        }
    };
    let combobox = move || {
        view! {
            <div class="picker">
                <Combobox id=name.clone() name=None text source=Source::List(proposals.clone())
                    on_choose on_leave described invalid list_label/>
                <input type="hidden" name=name.clone() value=value.get_untracked()
                    prop:value=move || value.get() node_ref=hidden/>
            </div>
        }
    };
    move || {
        if interactive.get() {
            combobox().into_any()
        } else {
            select().into_any()
        }
    }
}

/// The options of a select among choices, labelled in the page's language, indented by tree
/// level, `selected` chosen.
pub fn choice_options(choices: &[Choice], selected: &str) -> impl IntoView + use<> {
    let i18n = use_i18n();
    choices
        .iter()
        .map(|c| {
            let indent = "\u{2003}".repeat(c.level.saturating_sub(1) as usize);
            let (fr, en) = (c.label_fr.clone(), c.label_en.clone());
            let label = move || match i18n.get_locale() {
                Locale::fr => format!("{indent}{fr}"),
                Locale::en => format!("{indent}{en}"),
            };
            view! { <option value=c.code.clone() selected=c.code == selected>{label}</option> }
        })
        .collect_view()
}

/// A list's proposals in the page's language; a theme under others says its parents.
fn proposals_of(choices: &[Choice], locale: Locale) -> Vec<Proposal> {
    let mut parents: Vec<String> = Vec::new();
    choices
        .iter()
        .map(|c| {
            let label = match locale {
                Locale::fr => c.label_fr.clone(),
                Locale::en => c.label_en.clone(),
            };
            parents.truncate(c.level.saturating_sub(1) as usize);
            let detail = parents.join(" › ");
            parents.push(label.clone());
            Proposal {
                value: c.code.clone(),
                label,
                detail,
                extra: None,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choice(code: &str, label: &str, level: u8) -> Choice {
        Choice {
            code: code.into(),
            label_fr: label.into(),
            label_en: label.into(),
            level,
        }
    }

    #[test]
    fn a_theme_says_its_parents_and_matches_without_accents() {
        let list = proposals_of(
            &[
                choice("ENV", "Environnement", 1),
                choice("ENV.EAU", "Eau et assainissement", 2),
                choice("ENV.EAU.POT", "Accès à l'eau potable", 3),
                choice("SOC", "Santé", 1),
            ],
            Locale::fr,
        );
        assert_eq!(list[2].detail, "Environnement › Eau et assainissement");
        assert_eq!(list[3].detail, "");
        let found = filter(&list, "EAU");
        // Those that start with it first.
        assert_eq!(found[0].value, "ENV.EAU");
        assert_eq!(found[1].value, "ENV.EAU.POT");
        assert_eq!(found.len(), 2);
        assert_eq!(filter(&list, "sante")[0].value, "SOC");
        assert!(filter(&list, "culture").is_empty());
    }
}
