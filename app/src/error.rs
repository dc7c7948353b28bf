//! The one error type of the application. Internal details are logged on the server and never
//! sent to the client; validation errors name the field.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("unauthorized")]
    Unauthorized,
    #[error("forbidden")]
    Forbidden,
    /// Query parameters that are unknown or malformed: 400.
    #[error("invalid input")]
    Validation { fields: Vec<FieldError> },
    /// Submitted content (a form, a JSON body) that fails validation: 422.
    #[error("invalid content")]
    Invalid { fields: Vec<FieldError> },
    #[error("conflicting change")]
    Conflict,
    /// An edit made from a version that moved on meanwhile: 409, with the version to edit from
    /// now and what changed since the one read.
    #[error("stale version")]
    Stale(crate::models::Stale),
    /// Too many attempts (sign-in, account requests): 429.
    #[error("too many requests")]
    TooManyRequests,
    #[error("internal error")]
    Internal,
    /// The server has just started and is still building what this answer needs (the search
    /// index): 503, to ask again in a moment. Only the server has it: the pages that show it
    /// are rendered there, and one more variant in the browser's build keeps code of the lazy
    /// islands in every page's bundle (26 KiB brotli, docs/PERFORMANCE.md); a browser that
    /// meets it from a server function reads an error it does not know, as `Internal`.
    #[cfg(feature = "ssr")]
    #[error("starting")]
    Starting,
}

/// A field that failed validation, with its message in French (what the API answers) and in
/// English (what the pages show to someone who chose English).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_en: Option<String>,
}

/// A message in both languages, from the locale files (`msg!`).
#[derive(Clone, Debug, PartialEq)]
pub struct Text {
    pub fr: String,
    pub en: Option<String>,
}

impl From<&str> for Text {
    fn from(fr: &str) -> Self {
        Text {
            fr: fr.to_string(),
            en: None,
        }
    }
}

impl From<String> for Text {
    fn from(fr: String) -> Self {
        Text { fr, en: None }
    }
}

/// A message of the locale files in French and in English, with its values:
/// `msg!(err_not_a_year, text = typed)`.
#[macro_export]
macro_rules! msg {
    ($key:ident $(, $var:ident = $value:expr)* $(,)?) => {{
        use $crate::i18n::Locale;
        // Each value once, lent to both languages.
        $(#[allow(clippy::redundant_locals)]
        let $var = $value;)*
        $crate::error::Text {
            fr: leptos_i18n::td_string!(Locale::fr, $key $(, $var = &$var)*).to_string(),
            en: Some(leptos_i18n::td_string!(Locale::en, $key $(, $var = &$var)*).to_string()),
        }
    }};
}

impl FieldError {
    pub fn new(field: &str, message: impl Into<Text>) -> Self {
        let text = message.into();
        FieldError {
            field: field.to_string(),
            message: text.fr,
            message_en: text.en,
        }
    }

    /// The message in this language (French when no English was written).
    pub fn text(&self, locale: crate::i18n::Locale) -> String {
        match (locale, &self.message_en) {
            (crate::i18n::Locale::en, Some(en)) => en.clone(),
            _ => self.message.clone(),
        }
    }
}

/// The seconds a client waits before asking again while the server starts.
pub const STARTING_RETRY_AFTER: &str = "2";

impl AppError {
    /// Logs the cause on the server and returns the opaque `Internal` error.
    #[cfg(feature = "ssr")]
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(%cause, "internal error");
        AppError::Internal
    }

    /// The fields that failed validation, if any.
    pub fn fields(&self) -> &[FieldError] {
        match self {
            AppError::Validation { fields } | AppError::Invalid { fields } => fields,
            _ => &[],
        }
    }

    pub fn status_code(&self) -> u16 {
        match self {
            AppError::NotFound => 404,
            AppError::Unauthorized => 401,
            AppError::Forbidden => 403,
            AppError::Validation { .. } => 400,
            AppError::Invalid { .. } => 422,
            AppError::Conflict | AppError::Stale(_) => 409,
            AppError::TooManyRequests => 429,
            AppError::Internal => 500,
            #[cfg(feature = "ssr")]
            AppError::Starting => 503,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sea_orm::DbErr> for AppError {
    fn from(err: sea_orm::DbErr) -> Self {
        AppError::internal(err)
    }
}

impl leptos::server_fn::error::FromServerFnError for AppError {
    type Encoder = leptos::server_fn::codec::JsonEncoding;

    fn from_server_fn_error(value: leptos::server_fn::error::ServerFnErrorErr) -> Self {
        #[cfg(feature = "ssr")]
        tracing::error!(error = %value, "server function failed");
        let _ = value;
        AppError::Internal
    }
}

#[cfg(feature = "ssr")]
impl axum::response::IntoResponse for AppError {
    fn into_response(self) -> axum::response::Response {
        let status = http::StatusCode::from_u16(self.status_code())
            .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
        let message = match &self {
            AppError::NotFound => "Ressource introuvable",
            AppError::Unauthorized => "Authentification requise",
            AppError::Forbidden => "Accès refusé",
            AppError::Validation { .. } => "Paramètres invalides",
            AppError::Invalid { .. } => "Données invalides : voyez chaque champ",
            AppError::Conflict => "Modification concurrente : rechargez puis recommencez",
            AppError::Stale(_) => {
                "Modification concurrente : le partenariat a changé depuis votre lecture ; \
                 votre saisie est conservée, comparez-la puis enregistrez de nouveau"
            }
            AppError::TooManyRequests => "Trop de tentatives : réessayez dans quelques minutes",
            AppError::Internal => "Erreur interne",
            AppError::Starting => {
                "Le service démarre : la recherche sera prête dans quelques secondes, \
                 réessayez"
            }
        };
        let fields = self.fields().to_vec();
        // `errors` groups the messages by field, as form libraries expect.
        let mut errors = serde_json::Map::new();
        for f in &fields {
            if let serde_json::Value::Array(list) = errors
                .entry(f.field.clone())
                .or_insert_with(|| serde_json::Value::Array(Vec::new()))
            {
                list.push(f.message.clone().into());
            }
        }
        let mut body = serde_json::json!({ "error": message, "fields": fields, "errors": errors });
        if let AppError::Stale(stale) = &self {
            body["version"] = stale.version.into();
            body["changed"] = stale
                .changes
                .iter()
                .map(|c| c.field.clone())
                .collect::<Vec<_>>()
                .into();
            body["changes"] = serde_json::to_value(&stale.changes).unwrap_or_default();
        }
        let mut response = (status, axum::Json(body)).into_response();
        if let AppError::Starting = self {
            response.headers_mut().insert(
                http::header::RETRY_AFTER,
                http::HeaderValue::from_static(STARTING_RETRY_AFTER),
            );
        }
        response
    }
}

#[cfg(test)]
mod message_tests {
    use super::FieldError;
    use crate::i18n::Locale;

    #[test]
    fn a_message_is_written_in_both_languages_with_its_values() {
        let e = FieldError::new("start_year", crate::msg!(err_not_a_year, text = "deux"));
        assert_eq!(e.message, "« deux » n'est pas une année");
        assert_eq!(e.text(Locale::fr), "« deux » n'est pas une année");
        assert_eq!(e.text(Locale::en), "“deux” is not a year");
        // A message written before the translations falls back to French.
        let old = FieldError::new("q", "paramètre inconnu");
        assert_eq!(old.text(Locale::en), "paramètre inconnu");
    }
}
