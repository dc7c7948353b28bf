//! The WebAssembly stack. Lazy routes hydrate the page asynchronously (`hydrate_lazy`), which
//! nests deeper than synchronous hydration; the linker's default of 1 MiB overflows on the
//! larger pages in a debug build ("memory access out of bounds"). Release frames are smaller.

fn main() {
    let wasm = std::env::var("CARGO_CFG_TARGET_ARCH").is_ok_and(|arch| arch == "wasm32");
    if wasm {
        let mib = if std::env::var("PROFILE").is_ok_and(|p| p == "debug") {
            8
        } else {
            2
        };
        println!("cargo:rustc-link-arg=-zstack-size={}", mib * 1024 * 1024);
    }
    println!("cargo:rerun-if-changed=build.rs");
}
