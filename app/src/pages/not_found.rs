use crate::components::title::page_title;
use crate::i18n::*;
use leptos::prelude::*;

/// Sets the HTTP status of the page being rendered on the server (in the browser, nothing):
/// a page that refuses or fails says so in its status too, as the API does.
pub fn set_status(status: http::StatusCode) {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = status;
}

/// The 404 page; on the server it also sets the HTTP status.
#[component]
pub fn NotFound() -> impl IntoView {
    set_status(http::StatusCode::NOT_FOUND);
    let i18n = use_i18n();
    view! {
        {page_title(move || format!("{} — {}", t_string!(i18n, not_found_title), t_string!(i18n, site_name)))}
        <div class="container page-message">
            <h1>{t!(i18n, not_found_title)}</h1>
            <p>{t!(i18n, not_found_text)}</p>
            <p><a href="/">{t!(i18n, not_found_back)}</a></p>
        </div>
    }
}

/// What a page shows when the service failed.
#[component]
pub fn ServiceError() -> impl IntoView {
    set_status(http::StatusCode::INTERNAL_SERVER_ERROR);
    let i18n = use_i18n();
    view! {
        <div class="container page-message" role="alert">
            <h1>{t!(i18n, error_title)}</h1>
            <p>{t!(i18n, error_text)}</p>
        </div>
    }
}

/// What a page that needs the search index shows while the server, just started, builds it:
/// a `503` with `Retry-After`, and a link to ask again (pages are rendered on the server).
#[cfg(feature = "ssr")]
#[component]
pub fn Starting() -> impl IntoView {
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::SERVICE_UNAVAILABLE);
        response.insert_header(
            http::header::RETRY_AFTER,
            http::HeaderValue::from_static(crate::error::STARTING_RETRY_AFTER),
        );
    }
    let i18n = use_i18n();
    view! {
        <div class="container page-message" role="status">
            <h1>{t!(i18n, starting_title)}</h1>
            <p>{t!(i18n, starting_text)}</p>
            <p><a href="">{t!(i18n, starting_retry)}</a></p>
        </div>
    }
}

/// The page for an error that is not a missing page: the server starting, or a failure.
pub fn service_error(error: crate::error::AppError) -> AnyView {
    #[cfg(feature = "ssr")]
    if error == crate::error::AppError::Starting {
        return view! { <Starting/> }.into_any();
    }
    let _ = error;
    view! { <ServiceError/> }.into_any()
}
