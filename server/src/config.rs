//! Settings, from flags or the environment.

use leptos::prelude::LeptosOptions;
use std::net::SocketAddr;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/atlas.db?mode=rwc";

/// The Leptos options without needing cargo-leptos's environment: the release binary runs
/// alone, with the site files under `LEPTOS_SITE_ROOT` (default `target/site`).
pub fn leptos_options(addr: SocketAddr) -> LeptosOptions {
    let site_root = std::env::var("LEPTOS_SITE_ROOT").unwrap_or_else(|_| "target/site".into());
    let output_name = std::env::var("LEPTOS_OUTPUT_NAME").unwrap_or_else(|_| "atlas".into());
    LeptosOptions::builder()
        .output_name(output_name)
        .site_root(site_root)
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .build()
}

/// Creates the folder of a SQLite database file, which SQLite will not do itself.
pub fn prepare_sqlite_dir(url: &str) -> std::io::Result<()> {
    if let Some(rest) = url.strip_prefix("sqlite://") {
        let path = rest.split('?').next().unwrap_or_default();
        if !path.is_empty() && !path.starts_with(":memory:") {
            if let Some(parent) = std::path::Path::new(path).parent() {
                if !parent.as_os_str().is_empty() {
                    std::fs::create_dir_all(parent)?;
                }
            }
        }
    }
    Ok(())
}
