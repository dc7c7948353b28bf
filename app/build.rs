//! Generates the `i18n` module from `locales/*.json`: a key used in code but absent from a
//! locale file, or present in one locale and not the other, fails the build.

use leptos_i18n_build::{Config, TranslationsInfos};
use std::error::Error;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?).join("i18n");
    let cfg = Config::new("fr")?.add_locale("en")?;
    let infos = TranslationsInfos::parse(cfg)?;
    infos.rerun_if_locales_changed();
    infos.emit_diagnostics();
    infos.generate_i18n_module(out)?;
    Ok(())
}
