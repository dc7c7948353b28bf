//! Generates the `i18n` module from `locales/*.json`: a key used in code but absent from a
//! locale file, or present in one locale and not the other, fails the build.

use leptos_i18n_build::{Config, TranslationsInfos};
use std::error::Error;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?).join("i18n");
    // Interpolated messages (validation errors with the value typed) are read as plain
    // strings on the server, in both languages at once (`msg!`).
    let options = leptos_i18n_build::ParseOptions::default().interpolate_display(true);
    let cfg = Config::new("fr")?.add_locale("en")?.parse_options(options);
    let infos = TranslationsInfos::parse(cfg)?;
    infos.rerun_if_locales_changed();
    infos.emit_diagnostics();
    infos.generate_i18n_module(out)?;
    Ok(())
}
