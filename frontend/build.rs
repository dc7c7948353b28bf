//! The WebAssembly stack. The declaration form (a lazy island) nests deep views; when the whole
//! app was hydrated (asynchronously, for lazy routes), the linker's default of 1 MiB overflowed
//! on the larger pages in a debug build ("memory access out of bounds"). Release frames are
//! smaller.

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
