//! The JSON body of an API request. What cannot be read is refused like any other bad input of
//! the API: a 422 in JSON naming the field (`fundings[0].amount_eur`) or, for the body as a
//! whole, `body`, in French and English, never axum's plain-text rejection.

use app::error::{AppError, FieldError};
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, OptionalFromRequest, Request};
use axum::http::header;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

/// `Body(value)`: the request's JSON, read into `T`.
pub struct Body<T>(pub T);

fn refused(field: &str, message: app::error::Text) -> AppError {
    AppError::Invalid {
        fields: vec![FieldError::new(field, message)],
    }
}

fn is_json(request: &Request) -> bool {
    request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .is_some_and(|v| v == "application/json" || v.ends_with("+json"))
}

fn read<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let mut reader = serde_json::Deserializer::from_slice(bytes);
    let value: T = serde_path_to_error::deserialize(&mut reader).map_err(|error| {
        let path = error.path().to_string();
        let field = if path == "." { "body" } else { path.as_str() };
        refused(field, describe(error.inner()))
    })?;
    // Nothing but spaces after the value.
    reader
        .end()
        .map_err(|error| refused("body", describe(&error)))?;
    Ok(value)
}

fn describe(error: &serde_json::Error) -> app::error::Text {
    if error.is_data() {
        app::msg!(err_body_value, detail = error.to_string())
    } else {
        app::msg!(
            err_body_syntax,
            line = error.line().to_string(),
            column = error.column().to_string()
        )
    }
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Body<T> {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, AppError> {
        if !is_json(&request) {
            return Err(refused("body", app::msg!(err_body_not_json)));
        }
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|_| refused("body", app::msg!(err_body_unreadable)))?;
        read(&bytes).map(Body)
    }
}

/// An optional body (a submission's `{"version": …}`): none when the request has no body.
impl<S: Send + Sync, T: DeserializeOwned> OptionalFromRequest<S> for Body<T> {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Option<Self>, AppError> {
        let json = is_json(&request);
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|_| refused("body", app::msg!(err_body_unreadable)))?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(None);
        }
        if !json {
            return Err(refused("body", app::msg!(err_body_not_json)));
        }
        read(&bytes).map(|value| Some(Body(value)))
    }
}

/// `Params(value)`: the request's query string, read into `T`. A value that cannot be read is
/// a 400 in JSON naming the parameter, like the search's own parameters.
pub struct Params<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Params<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, AppError> {
        let query = parts.uri.query().unwrap_or_default();
        let reader = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(reader)
            .map(Params)
            .map_err(|error| {
                let path = error.path().to_string();
                let field = if path == "." { "query" } else { path.as_str() };
                AppError::Validation {
                    fields: vec![FieldError::new(
                        field,
                        app::msg!(err_body_value, detail = error.inner().to_string()),
                    )],
                }
            })
    }
}
