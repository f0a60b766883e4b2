//! The wasm keeps its link-time relocations: `cargo xtask split-app` needs them to cut the
//! screens loaded on demand out of the app's module (see `src/app.rs`). They never reach the
//! browser: the split modules are rebuilt without them.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg-bins=--emit-relocs");
    }
}
