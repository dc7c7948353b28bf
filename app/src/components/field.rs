//! A form's labelled control: its label, a hint, its error when there is one, and the control
//! itself, tied together for assistive technologies (`for`, `aria-describedby`,
//! `aria-invalid`). Every form of the application lays out its fields with it.

use leptos::prelude::*;

/// `name` is the control's id. The control is given the ids that describe it (the hint's,
/// then the error's) and whether it is refused; both follow `error` (the declaration's errors
/// change as one types).
pub fn labelled(
    name: &str,
    label: impl IntoView + 'static,
    hint: Option<AnyView>,
    error: Signal<Option<String>>,
    control: impl FnOnce(Signal<Option<String>>, Signal<bool>) -> AnyView,
) -> AnyView {
    let hint_id = format!("{name}-aide");
    let error_id = format!("{name}-erreur");
    let has_hint = hint.is_some();
    let described = Signal::derive({
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || {
            let ids = [
                has_hint.then(|| hint_id.clone()),
                error.with(Option::is_some).then(|| error_id.clone()),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
            (!ids.is_empty()).then_some(ids)
        }
    });
    let invalid = Signal::derive(move || error.with(Option::is_some));
    view! {
        <div class="field" class:has-error=invalid>
            <label for=name.to_string()>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id>{h}</p> })}
            {move || error.get().map(|m| view! { <p class="field-error" id=error_id.clone()>{m}</p> })}
            {control(described, invalid)}
        </div>
    }
    .into_any()
}
