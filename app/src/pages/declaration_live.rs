//! The declaration form once hydrated. After a short pause in typing it asks the server to
//! check the step (nothing is written); when a field is left it saves the draft (created on
//! the first save). Both go through `check_declaration`, which reads the inputs and calls the
//! write path exactly as the form posted without JavaScript does. Errors appear next to their
//! fields, and a status line says whether the draft is saved. Saves run one at a time, each at
//! the version the previous one answered, so that autosaving never conflicts with itself.

use crate::api::account::check_declaration;
use crate::error::{AppError, FieldError};
use crate::i18n::*;
use crate::models::rows::Pairs;
use crate::models::{Declaration, DeclarationStep, LiveCheck};
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use std::collections::BTreeSet;

/// The pause after the last key before the step is checked.
const TYPING_PAUSE_MS: u32 = 600;
/// The pause after a field is left before the draft is saved (another field's change in it
/// makes one save of both).
const LEAVING_PAUSE_MS: u32 = 200;

/// Where the draft stands, for the status line.
#[derive(Clone, Debug, PartialEq)]
pub enum Status {
    /// Nothing saved by this page yet.
    Idle,
    /// The step before was saved (the page after a post).
    Posted,
    Saving,
    /// Saved at this time of day (`10:42`).
    Saved(String),
    /// The write path refused the draft: its errors are next to the fields.
    Refused,
    /// Someone saved the draft in between: nothing was overwritten.
    Conflict,
    SignedOut,
    Failed,
}

/// The hydrated state of a declaration step, shared by its fields through the context.
#[derive(Clone, Copy)]
pub struct Live {
    /// The step as shown: its rows change in place once hydrated.
    pub shown: RwSignal<Declaration>,
    /// The draft's id, known after its first save.
    pub id: RwSignal<Option<i32>>,
    /// The version the next save is made at.
    pub version: RwSignal<Option<i32>>,
    pub status: RwSignal<Status>,
    pub form: NodeRef<leptos::html::Form>,
    step: DeclarationStep,
    /// `None` until the first answer: the errors the page was rendered with stand.
    errors: RwSignal<Option<Vec<FieldError>>>,
    /// The inputs typed in: as one types, only their errors are shown.
    touched: RwSignal<BTreeSet<String>>,
    /// After a refused save every error of the step is shown.
    show_all: RwSignal<bool>,
    /// Browser-only state (a wrapped timer is dropped on the thread that made it).
    timer: StoredValue<Option<SendWrapper<gloo_timers::callback::Timeout>>>,
    /// A save was asked for since the last one started.
    save_due: StoredValue<bool>,
    /// A request is on its way; another is run when it answers.
    busy: StoredValue<bool>,
    again: StoredValue<bool>,
    /// The button of a post made while a request was on its way, to press again when it
    /// answers (so that the post goes to the draft the request created, at its version).
    resubmit: StoredValue<Option<SendWrapper<leptos::web_sys::HtmlElement>>>,
    /// The address of a link followed while the draft was being saved, to go to once it is.
    follow: StoredValue<Option<String>>,
}

impl Live {
    /// `posted`: the page shows the step after a saved one.
    pub fn new(d: &Declaration, posted: bool) -> Self {
        Live {
            shown: RwSignal::new(d.clone()),
            id: RwSignal::new(d.id),
            version: RwSignal::new(d.version),
            status: RwSignal::new(if posted { Status::Posted } else { Status::Idle }),
            form: NodeRef::new(),
            step: d.step,
            errors: RwSignal::new(None),
            touched: RwSignal::new(BTreeSet::new()),
            show_all: RwSignal::new(false),
            timer: StoredValue::new(None),
            save_due: StoredValue::new(false),
            busy: StoredValue::new(false),
            again: StoredValue::new(false),
            resubmit: StoredValue::new(None),
            follow: StoredValue::new(None),
        }
    }

    /// The error to show next to an input: the one it was rendered with until the first
    /// answer, then the write path's latest one, once the input was typed in.
    pub fn error(&self, name: &str, rendered: Option<String>, locale: Locale) -> Option<String> {
        let Some(errors) = self.errors.get() else {
            return rendered;
        };
        let shown =
            rendered.is_some() || self.show_all.get() || self.touched.with(|t| t.contains(name));
        if !shown {
            return None;
        }
        errors
            .iter()
            .find(|e| e.field == name)
            .map(|e| e.text(locale))
    }

    /// Something was typed: the step is checked after a pause.
    pub fn typed(&self, ev: &leptos::ev::Event) {
        self.touch(ev);
        self.schedule(TYPING_PAUSE_MS);
    }

    /// A field was left (or a choice made): the draft is saved.
    pub fn left(&self, ev: &leptos::ev::Event) {
        self.touch(ev);
        self.save_due.set_value(true);
        self.schedule(LEAVING_PAUSE_MS);
    }

    /// The form is posted: what was waiting to be checked or saved is dropped (the post saves
    /// the same fields). While a request is on its way, the post waits for its answer.
    pub fn posting(&self, ev: &leptos::ev::SubmitEvent) {
        self.timer.set_value(None);
        self.save_due.set_value(false);
        self.again.set_value(false);
        if self.busy.get_value() {
            ev.prevent_default();
            self.resubmit
                .set_value(ev.submitter().map(SendWrapper::new));
        }
    }

    /// A link to another page (another step) is followed: while the draft is being saved, or
    /// a field was just left, the page waits for the save, so that the next page reads the
    /// draft at its new version.
    pub fn following(&self, ev: &leptos::ev::MouseEvent) {
        use leptos::wasm_bindgen::JsCast;
        if ev.button() != 0 || ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.alt_key() {
            return;
        }
        let href = ev
            .target()
            .and_then(|t| t.dyn_into::<leptos::web_sys::Element>().ok())
            .and_then(|e| e.closest("a[href]").ok().flatten())
            .and_then(|a| a.get_attribute("href"))
            .filter(|href| !href.starts_with('#'));
        let Some(href) = href else {
            return;
        };
        let saving = self.save_due.get_value();
        if !saving && !self.busy.get_value() {
            return;
        }
        ev.prevent_default();
        self.follow.set_value(Some(href));
        if saving {
            // Now rather than after the pause.
            self.timer.set_value(None);
            self.run();
        }
    }

    /// A row added or removed in place: the step is shown again from what is typed, with the
    /// change, then the draft saved; `focus` is the id of the element to focus after.
    pub fn change_rows(&self, change: impl FnOnce(&mut Pairs), focus: String) {
        let mut pairs = self.values();
        pairs.retain(|(name, _)| name != "version");
        change(&mut pairs);
        self.shown.update(|d| {
            d.form.values = pairs;
            d.form.errors.clear();
        });
        self.errors.set(Some(Vec::new()));
        self.save_due.set_value(true);
        self.schedule(LEAVING_PAUSE_MS);
        // Once the rows are in the page.
        gloo_timers::callback::Timeout::new(0, move || focus_in(&focus)).forget();
    }

    fn touch(&self, ev: &leptos::ev::Event) {
        use leptos::wasm_bindgen::JsCast;
        let name = ev
            .target()
            .and_then(|t| t.dyn_into::<leptos::web_sys::Element>().ok())
            .and_then(|e| e.get_attribute("name"));
        if let Some(name) = name {
            self.touched.update(|t| {
                t.insert(name);
            });
        }
    }

    fn schedule(&self, pause_ms: u32) {
        let live = *self;
        let timeout = gloo_timers::callback::Timeout::new(pause_ms, move || live.run());
        self.timer.set_value(Some(SendWrapper::new(timeout)));
    }

    /// The form's inputs as they would be posted.
    fn values(&self) -> Vec<(String, String)> {
        let Some(form) = self.form.get_untracked() else {
            return Vec::new();
        };
        let Ok(data) = leptos::web_sys::FormData::new_with_form(&form) else {
            return Vec::new();
        };
        let Ok(Some(entries)) = js_sys::try_iter(&data) else {
            return Vec::new();
        };
        entries
            .flatten()
            .filter_map(|entry| {
                let pair = js_sys::Array::from(&entry);
                Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
            })
            .collect()
    }

    fn run(self) {
        if self.busy.get_value() {
            self.again.set_value(true);
            return;
        }
        self.busy.set_value(true);
        let save = self.save_due.get_value();
        self.save_due.set_value(false);
        if save {
            self.status.set(Status::Saving);
        }
        let values = self.values();
        let id = self.id.get_untracked();
        let version = self.version.get_untracked();
        leptos::task::spawn_local(async move {
            let answer = check_declaration(id, self.step.number(), version, values, save).await;
            self.answered(save, answer);
            self.busy.set_value(false);
            if let Some(button) = self.resubmit.try_update_value(Option::take).flatten() {
                // After the answer's id and version are in the form.
                let form = self.form;
                gloo_timers::callback::Timeout::new(0, move || {
                    if let Some(form) = form.get_untracked() {
                        let _ = form.request_submit_with_submitter(Some(&button));
                    }
                })
                .forget();
            } else if self.again.get_value() {
                self.again.set_value(false);
                self.run();
            } else if let Some(href) = self.follow.try_update_value(Option::take).flatten() {
                // Once saved; a refused or conflicting save keeps the page and its message.
                if matches!(self.status.get_untracked(), Status::Saved(_)) {
                    let _ = leptos::prelude::window().location().assign(&href);
                }
            }
        });
    }

    fn answered(&self, save: bool, answer: Result<LiveCheck, AppError>) {
        match answer {
            Ok(LiveCheck { saved, errors }) => {
                let step = self.step;
                let errors: Vec<FieldError> = errors
                    .into_iter()
                    .filter(|e| DeclarationStep::of_field(&e.field) == step)
                    .collect();
                if let Some(saved) = saved {
                    self.version.set(Some(saved.version));
                    if self.id.get_untracked().is_none() {
                        self.id.set(Some(saved.id));
                        // The address of the draft, so that reloading finds it.
                        let url = step.url(Some(saved.id));
                        if let Some(history) =
                            leptos::web_sys::window().and_then(|w| w.history().ok())
                        {
                            let _ = history.replace_state_with_url(
                                &leptos::wasm_bindgen::JsValue::NULL,
                                "",
                                Some(&url),
                            );
                        }
                    }
                    self.status.set(Status::Saved(time_of_day()));
                } else if save {
                    self.show_all.set(true);
                    self.status.set(Status::Refused);
                }
                self.errors.set(Some(errors));
            }
            Err(AppError::Conflict | AppError::Stale(_)) => self.status.set(Status::Conflict),
            Err(AppError::Unauthorized) => self.status.set(Status::SignedOut),
            Err(_) if save => self.status.set(Status::Failed),
            Err(_) => {}
        }
    }
}

/// Focuses the element of this id, or the first field inside it.
fn focus_in(id: &str) {
    use leptos::wasm_bindgen::JsCast;
    let Some(element) = leptos::web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
    else {
        return;
    };
    let target = element
        .query_selector("input:not([type=hidden]), select, textarea")
        .ok()
        .flatten()
        .unwrap_or(element);
    if let Ok(target) = target.dyn_into::<leptos::web_sys::HtmlElement>() {
        let _ = target.focus();
    }
}

/// `10:42`, in the browser's time zone.
fn time_of_day() -> String {
    let now = js_sys::Date::new_0();
    format!("{:02}:{:02}", now.get_hours(), now.get_minutes())
}

/// The status line under the form's buttons, read out politely by screen readers.
#[component]
pub fn LiveStatus(live: Live) -> impl IntoView {
    let i18n = use_i18n();
    let text = move || match live.status.get() {
        Status::Idle => None,
        Status::Posted => Some(t_string!(i18n, decl_saved).to_string()),
        Status::Saving => Some(t_string!(i18n, live_saving).to_string()),
        Status::Saved(at) => Some(format!("{} {at}.", t_string!(i18n, live_saved_at))),
        Status::Refused => Some(t_string!(i18n, live_refused).to_string()),
        Status::Conflict => Some(t_string!(i18n, live_conflict).to_string()),
        Status::SignedOut => Some(t_string!(i18n, live_signed_out).to_string()),
        Status::Failed => Some(t_string!(i18n, live_failed).to_string()),
    };
    let alert = move || {
        matches!(
            live.status.get(),
            Status::Refused | Status::Conflict | Status::SignedOut | Status::Failed
        )
    };
    let done = move || matches!(live.status.get(), Status::Posted | Status::Saved(_));
    view! {
        <p class="autosave" class:warning=alert class:done=done role="status" aria-live="polite">{text}</p>
    }
}
