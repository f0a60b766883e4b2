//! `cargo xtask split-app`: cuts the screens the resident app loads on demand out of its wasm.
//!
//! Trunk runs this after each build of the resident app (`Trunk.toml`'s `post_build` hook). The
//! functions marked `#[wasm_split(…)]` in `src/app.rs` become wasm modules of their own, fetched
//! the first time their screen is shown; the main module keeps only what home, look-up and my
//! cases need, so the first screen downloads far less (issue 5's budget). Trunk 0.21 cannot do
//! this itself (trunk-rs/trunk#1022), so this step redoes its last two for the resident app:
//!
//! 1. split cargo's wasm (linked with `--emit-relocs`, see `build.rs`) with
//!    `wasm_split_cli_support`, the splitter behind `cargo leptos --split`;
//! 2. run the wasm-bindgen CLI on the main module, keeping the exports the split modules link to;
//! 3. optimise every module with wasm-opt -Oz (release) into Trunk's staging folder, under
//!    Trunk's hashed names (the split modules and their loader take the same hash);
//! 4. name the loader and the split modules in `index.html`: the loader is preloaded with the
//!    app's script; the split modules are listed in a `<meta>` that the service worker reads,
//!    so once the first screen is up it fetches and keeps them with the rest of the app, and
//!    the screens open at once, offline too.

use std::fs;
use std::path::{Path, PathBuf};

use crate::run::{Result, command, root, step};
use crate::tools;

const APP: &str = "yousu";

/// The `<meta name>` listing the split modules in `index.html`: the service worker keeps them with
/// the rest of the app once the first screen is up (a `<link rel=prefetch>` would start them
/// beside the main module and slow the first screen), and the bench counts them apart.
pub const ON_DEMAND: &str = "yousu-on-demand";

pub fn split_app() -> Result {
    let staging = PathBuf::from(std::env::var_os("TRUNK_STAGING_DIR").ok_or(
        "split-app runs inside a Trunk build of the resident app (Trunk.toml's post_build hook)",
    )?);
    let release = std::env::var("TRUNK_PROFILE").as_deref() == Ok("release");
    let public_url = std::env::var("TRUNK_PUBLIC_URL").unwrap_or_else(|_| "/".into());
    let profile = if release { "release" } else { "debug" };
    let target_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(|dir| root().join(dir))
        .unwrap_or_else(|| root().join("target"));
    let input = target_dir.join(format!("wasm32-unknown-unknown/{profile}/{APP}.wasm"));
    let hash = trunk_hash(&staging)?;

    let work = target_dir.join(format!("wasm-split/{profile}"));
    let _ = fs::remove_dir_all(&work);
    fs::create_dir_all(&work).map_err(|e| format!("cannot create {}: {e}", work.display()))?;

    // 1. Split.
    let bytes = fs::read(&input).map_err(|e| format!("cannot read {}: {e}", input.display()))?;
    let main_wasm = work.join("main.wasm");
    let loader = format!("{APP}-split-{hash}.js");
    let link_name = format!("./{loader}");
    let main_module = format!("./{APP}-{hash}.js");
    let split = wasm_split_cli_support::transform({
        let mut options = wasm_split_cli_support::Options::new(&bytes);
        options.output_dir = &work;
        options.main_out_path = &main_wasm;
        options.link_name = &link_name;
        options.main_module = &main_module;
        options
    })
    .map_err(|e| format!("splitting {}: {e:?}", input.display()))?;

    // The split modules take the build's hash too, so a browser never mixes two builds.
    let mut loader_js = fs::read_to_string(work.join(&loader)).map_err(|e| e.to_string())?;
    let mut modules = Vec::new();
    for path in &split.split_modules {
        let stem = file_stem(path)?;
        let name = format!("{APP}-{stem}-{hash}.wasm");
        let quoted = format!("\"./{stem}.wasm\"");
        if !loader_js.contains(&quoted) {
            return Err(format!("the split loader does not name {stem}.wasm"));
        }
        loader_js = loader_js.replace(&quoted, &format!("\"./{name}\""));
        modules.push((path.clone(), name));
    }
    if modules.is_empty() {
        return Err(
            "the app's wasm has no split points: is src/app.rs's #[wasm_split] gone?".into(),
        );
    }
    fs::write(staging.join(&loader), loader_js).map_err(|e| e.to_string())?;

    // 2. wasm-bindgen on the main module.
    let bindgen = work.join("bindgen");
    step(
        "wasm-bindgen on the app's main module",
        command("wasm-bindgen")
            .args(["--target", "web", "--keep-lld-exports", "--no-typescript"])
            .args(["--out-name", APP, "--out-dir"])
            .arg(&bindgen)
            .arg(&main_wasm),
    )?;
    let js = fs::read_to_string(bindgen.join(format!("{APP}.js"))).map_err(|e| e.to_string())?;
    fs::write(staging.join(format!("{APP}-{hash}.js")), js).map_err(|e| e.to_string())?;

    // 3. Every module, optimised, under its final name.
    let mut outputs = vec![(
        bindgen.join(format!("{APP}_bg.wasm")),
        format!("{APP}-{hash}_bg.wasm"),
    )];
    outputs.extend(modules.iter().cloned());
    for (from, name) in &outputs {
        let to = staging.join(name);
        if release {
            step(
                &format!("wasm-opt -Oz {name}"),
                command("wasm-opt")
                    .env("PATH", tools::path_with_wasm_opt())
                    .arg("-Oz")
                    .arg(format!("--output={}", to.display()))
                    .arg(from),
            )?;
        } else {
            fs::copy(from, &to).map_err(|e| format!("cannot copy to {}: {e}", to.display()))?;
        }
    }

    // 4. The page names the loader and the split modules.
    let html_path = staging.join("index.html");
    let html = fs::read_to_string(&html_path).map_err(|e| e.to_string())?;
    let on_demand: Vec<String> = modules
        .iter()
        .map(|(_, name)| format!("{public_url}{name}"))
        .collect();
    let links = format!(
        "<link rel=modulepreload href={public_url}{loader}><meta name={ON_DEMAND} content=\"{}\">",
        on_demand.join(" ")
    );
    let html = insert_before_head_end(&html, &links)?;
    fs::write(&html_path, html).map_err(|e| e.to_string())?;
    eprintln!(
        "==> split the app's wasm: the main module and {} loaded on demand",
        modules.len()
    );
    Ok(())
}

/// The hash in the name Trunk gave the app's wasm (`yousu-<hash>_bg.wasm`).
fn trunk_hash(staging: &Path) -> Result<String> {
    let prefix = format!("{APP}-");
    for entry in fs::read_dir(staging).map_err(|e| format!("cannot read Trunk's staging: {e}"))? {
        let name = entry.map_err(|e| e.to_string())?.file_name();
        let name = name.to_string_lossy();
        if let Some(hash) = name
            .strip_prefix(&prefix)
            .and_then(|rest| rest.strip_suffix("_bg.wasm"))
        {
            return Ok(hash.to_owned());
        }
    }
    Err(format!("Trunk's staging has no {APP}-<hash>_bg.wasm"))
}

fn file_stem(path: &Path) -> Result<String> {
    path.file_stem()
        .and_then(|s| s.to_str())
        .map(str::to_owned)
        .ok_or_else(|| format!("odd split module name {}", path.display()))
}

fn insert_before_head_end(html: &str, links: &str) -> Result<String> {
    let at = html
        .find("</head>")
        .ok_or("the built index.html has no </head>")?;
    Ok(format!("{}{links}{}", &html[..at], &html[at..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_go_at_the_end_of_the_head() {
        let html = "<html><head><title>t</title></head><body></body></html>";
        assert_eq!(
            insert_before_head_end(html, "<link>").unwrap(),
            "<html><head><title>t</title><link></head><body></body></html>"
        );
        assert!(insert_before_head_end("<p>no head</p>", "<link>").is_err());
    }
}
