//! The security headers of every answer. Pages get a Content-Security-Policy that allows only
//! this site's scripts and the inline scripts the page itself carries (leptos's hydration
//! bootstrap), each by the hash of its text: no `unsafe-inline` script. Every other answer (the
//! API, files, errors) gets one that allows nothing to run; the maps' SVG documents, their
//! own styles. All of them say `nosniff`, keep the referrer to this site, refuse to be framed
//! (the maps, but by this site's pages; the embed page, made for other sites' frames, by
//! anyone), and, when the site is served over TLS, ask browsers to use it only (HSTS).

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use sha2::{Digest, Sha256};

/// Everything but scripts, for every page: this site's styles, images (and `data:` ones, which
/// the maps' SVG and the icons use), fetches; no plugin, no `<base>`, forms to this site only,
/// never in a frame.
const PAGE_POLICY: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; \
     font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; \
     form-action 'self'; frame-ancestors 'none'";

/// For what is not a page (JSON, CSV, XML, files): nothing runs, nothing loads.
const OTHER_POLICY: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

/// The embed page (`/embed/collectivites/…`), the one page any site may frame: no script at
/// all, its own styles and the map's image.
pub const EMBED_POLICY: &str = "default-src 'none'; img-src 'self'; style-src 'self'; \
     base-uri 'none'; form-action 'none'; frame-ancestors *";

/// For a drawing (the maps, SVG documents that the site's own pages show in a frame, so that
/// their places are links): its own `<style>`, nothing else, framed by this site only.
const SVG_POLICY: &str =
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'; base-uri 'none'";

/// The headers every answer carries, set last (outermost): a page's own policy, set by
/// [`page_policy`], is kept. `tls`: whether the site is public over TLS (HSTS), read once
/// when the router is made.
pub async fn headers(State(tls): State<bool>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    set_common(response.headers_mut(), tls);
    response
}

fn set_common(headers: &mut HeaderMap, tls: bool) {
    let svg = headers
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"image/svg+xml"));
    let embed = headers
        .get(header::CONTENT_SECURITY_POLICY)
        .is_some_and(|v| v == EMBED_POLICY);
    let fixed = [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
        (
            HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
        ),
    ];
    for (name, value) in fixed {
        headers.insert(name, HeaderValue::from_static(value));
    }
    // The embed page may be framed by any site: its policy's frame-ancestors says so, and this
    // older header must not say otherwise.
    if !embed {
        let frame = if svg { "SAMEORIGIN" } else { "DENY" };
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static(frame));
    }
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        let policy = if svg { SVG_POLICY } else { OTHER_POLICY };
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(policy),
        );
    }
    if tls {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
}

/// A page's policy, from its text: set on the uncompressed HTML, before the page cache keeps
/// it with its headers. Answers that are not HTML pass untouched.
pub async fn page_policy(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let done = response
        .headers()
        .contains_key(header::CONTENT_SECURITY_POLICY)
        || response.headers().contains_key(header::CONTENT_ENCODING);
    if !html || done {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let body = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(body) => body,
        Err(err) => {
            tracing::error!(%err, "a page could not be read to set its security policy");
            return axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let policy = policy_for(&String::from_utf8_lossy(&body));
    match HeaderValue::from_str(&policy) {
        Ok(value) => {
            parts.headers.insert(header::CONTENT_SECURITY_POLICY, value);
        }
        Err(err) => tracing::error!(%err, "a page's security policy is not a header value"),
    }
    Response::from_parts(parts, Body::from(body))
}

/// The policy of a page: its inline scripts allowed by their hashes, this site's files, and
/// WebAssembly (the islands' hydration compiles it).
pub fn policy_for(html: &str) -> String {
    let mut hashes: Vec<String> = inline_scripts(html)
        .map(|text| {
            let digest = Sha256::digest(text.as_bytes());
            format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        })
        .collect();
    hashes.sort();
    hashes.dedup();
    format!(
        "{PAGE_POLICY}; script-src 'self' 'wasm-unsafe-eval'{}{}",
        if hashes.is_empty() { "" } else { " " },
        hashes.join(" ")
    )
}

/// The text of each inline `<script>` of a page (those without `src`), as the browser hashes
/// it: everything between the opening tag's `>` and `</script>`.
fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    let mut rest = html;
    std::iter::from_fn(move || loop {
        let start = rest.find("<script")?;
        let after = &rest[start + "<script".len()..];
        let tag_end = after.find('>')?;
        let attributes = &after[..tag_end];
        let content = &after[tag_end + 1..];
        let end = content.find("</script>")?;
        rest = &content[end + "</script>".len()..];
        // `<scripts…>` is not a script tag; one with a source has no inline text to allow.
        let is_tag = attributes.is_empty() || attributes.starts_with(char::is_whitespace);
        if is_tag && !has_src(attributes) && !content[..end].is_empty() {
            return Some(&content[..end]);
        }
    })
}

fn has_src(attributes: &str) -> bool {
    attributes
        .split(|c: char| c.is_whitespace())
        .any(|a| a == "src" || a.starts_with("src="))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_are_found_and_hashed_as_browsers_hash_them() {
        let html = r#"<head><script src="/pkg/a.js"></script><script type="module" nonce="x">go()</script>
            <script>__A=[];</script><scripts>no</scripts><script></script></head>"#;
        let found: Vec<&str> = inline_scripts(html).collect();
        assert_eq!(found, ["go()", "__A=[];"]);
        let policy = policy_for(html);
        // sha256("go()"), base64: what a browser computes for that script.
        let go = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b"go()"));
        assert!(policy.contains(&format!("'sha256-{go}'")), "{policy}");
        assert!(!policy.contains("unsafe-inline"), "{policy}");
        assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    }

    #[test]
    fn a_page_without_inline_script_allows_only_the_sites_own() {
        let policy = policy_for("<html><body>Rien</body></html>");
        assert!(
            policy.ends_with("script-src 'self' 'wasm-unsafe-eval'"),
            "{policy}"
        );
    }

    #[test]
    fn every_answer_gets_the_common_headers_and_hsts_only_over_tls() {
        let mut plain = HeaderMap::new();
        set_common(&mut plain, false);
        assert_eq!(plain[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(plain[header::X_FRAME_OPTIONS], "DENY");
        assert_eq!(plain[header::CONTENT_SECURITY_POLICY], OTHER_POLICY);
        assert!(!plain.contains_key(header::STRICT_TRANSPORT_SECURITY));
        let mut tls = HeaderMap::new();
        tls.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'self'"),
        );
        set_common(&mut tls, true);
        assert_eq!(tls[header::CONTENT_SECURITY_POLICY], "default-src 'self'");
        assert!(tls.contains_key(header::STRICT_TRANSPORT_SECURITY));
        let mut svg = HeaderMap::new();
        svg.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("image/svg+xml"),
        );
        set_common(&mut svg, false);
        assert_eq!(svg[header::CONTENT_SECURITY_POLICY], SVG_POLICY);
        assert_eq!(svg[header::X_FRAME_OPTIONS], "SAMEORIGIN");
    }
}
