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
    #[error("invalid input")]
    Validation { fields: Vec<FieldError> },
    #[error("conflicting change")]
    Conflict,
    #[error("internal error")]
    Internal,
}

/// A field that failed validation, with a message in the user's language.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        FieldError {
            field: field.to_string(),
            message: message.into(),
        }
    }
}

impl AppError {
    /// Logs the cause on the server and returns the opaque `Internal` error.
    #[cfg(feature = "ssr")]
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(%cause, "internal error");
        AppError::Internal
    }

    pub fn status_code(&self) -> u16 {
        match self {
            AppError::NotFound => 404,
            AppError::Unauthorized => 401,
            AppError::Forbidden => 403,
            AppError::Validation { .. } => 400,
            AppError::Conflict => 409,
            AppError::Internal => 500,
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
            AppError::Validation { .. } => "Données invalides",
            AppError::Conflict => "Modification concurrente : rechargez puis recommencez",
            AppError::Internal => "Erreur interne",
        };
        let fields = match &self {
            AppError::Validation { fields } => fields.clone(),
            _ => Vec::new(),
        };
        let body = serde_json::json!({ "error": message, "fields": fields });
        (status, axum::Json(body)).into_response()
    }
}
