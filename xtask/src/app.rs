//! Building the resident app into `dist/` and the staff workbench into `dist/staff/` (each
//! release, wasm-opt -Oz, brotli and gzip copies) and serving the whole product.

use std::collections::hash_map::DefaultHasher;
use std::fs;
use std::hash::{Hash, Hasher};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use crate::run::{Result, cargo, command, root, step};
use crate::tools;

const STAMP: &str = ".yousu-build";

/// One Trunk app: where Trunk runs, where its build lands, and what it depends on.
struct TrunkApp {
    what: &'static str,
    /// The folder holding its `Trunk.toml`, relative to the project root.
    trunk_dir: &'static str,
    /// Its build folder, relative to the project root (as its `Trunk.toml` says).
    dist: &'static str,
    /// A change to any of these rebuilds it.
    inputs: &'static [&'static str],
}

/// The resident app. Built first: Trunk empties `dist/` (the workbench's folder with it) on
/// every build, so the workbench then sees its stamp gone and rebuilds too.
const RESIDENT_APP: TrunkApp = TrunkApp {
    what: "the resident app",
    trunk_dir: ".",
    dist: "dist",
    inputs: INPUTS,
};

/// The staff workbench, served at `/staff/`.
const WORKBENCH: TrunkApp = TrunkApp {
    what: "the staff workbench",
    trunk_dir: "crates/workbench",
    dist: "dist/staff",
    inputs: &[
        "crates/workbench",
        "crates/core",
        "Cargo.toml",
        "Cargo.lock",
    ],
};

/// What the built resident app depends on; a change to any of these rebuilds it.
const INPUTS: &[&str] = &[
    "src",
    "build.rs",
    "xtask/src/split.rs",
    "style",
    "public",
    "index.html",
    "Trunk.toml",
    "Cargo.toml",
    "Cargo.lock",
    "crates/core",
];

pub fn serve(server_args: &[String]) -> Result {
    tools::ensure_build_tools()?;
    build_app()?;
    step(
        "building the server (release)",
        cargo().args(["build", "--release", "--package", "yousu-server"]),
    )?;
    let server = root().join("target/release/yousu-server");
    eprintln!("\n==> starting Yousu (Ctrl-C stops it)");
    let mut command = command(server.to_str().ok_or("the project path is not UTF-8")?);
    command.arg("--demo").args(server_args);
    let status = command
        .status()
        .map_err(|e| format!("cannot start {}: {e}", server.display()))?;
    // Ctrl-C reaches the server too; its clean stop is ours.
    if status.success() || status.code().is_none() {
        Ok(())
    } else {
        Err(format!("the server stopped: {status}"))
    }
}

/// Builds the resident app into `dist/` and the staff workbench into `dist/staff/`, each only
/// when its inputs changed since its last build.
pub fn build_app() -> Result {
    build_trunk_app(&RESIDENT_APP)?;
    build_trunk_app(&WORKBENCH)
}

/// `trunk build --release` unless the app's folder was built from exactly the current inputs.
fn build_trunk_app(app: &TrunkApp) -> Result {
    let dist = root().join(app.dist);
    let fingerprint = fingerprint(app.inputs)?;
    let stamp = dist.join(STAMP);
    if fs::read_to_string(&stamp).is_ok_and(|s| s == fingerprint) {
        eprintln!("==> {} in {}/ is up to date", app.what, app.dist);
        return Ok(());
    }
    step(
        &format!("building {} (release, wasm-opt -Oz)", app.what),
        command("trunk")
            .args(["build", "--release"])
            .current_dir(root().join(app.trunk_dir))
            .env("PATH", tools::path_with_wasm_opt())
            // Trunk must not reach for the network to check for its own updates.
            .env("TRUNK_SKIP_VERSION_CHECK", "true"),
    )?;
    precompress(&dist)?;
    fs::write(&stamp, fingerprint).map_err(|e| format!("cannot write {STAMP}: {e}"))
}

/// Writes `FILE.br` (quality 11) and `FILE.gz` (level 9) beside each text or wasm file of the
/// folder itself (not its subfolders: each app compresses its own), which the server sends to
/// browsers that accept them.
fn precompress(dist: &Path) -> Result {
    for entry in fs::read_dir(dist).map_err(|e| format!("cannot read dist/: {e}"))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        let compressible = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e, "html" | "js" | "css" | "wasm" | "svg" | "json"));
        if !compressible {
            continue;
        }
        let bytes = fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let mut brotli = Vec::new();
        let params = brotli::enc::BrotliEncoderParams {
            quality: 11,
            lgwin: 22,
            ..Default::default()
        };
        brotli::BrotliCompress(&mut bytes.as_slice(), &mut brotli, &params)
            .map_err(|e| format!("brotli failed on {}: {e}", path.display()))?;
        let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gzip.write_all(&bytes).map_err(|e| e.to_string())?;
        let gzip = gzip.finish().map_err(|e| e.to_string())?;
        fs::write(with_suffix(&path, "br"), brotli).map_err(|e| e.to_string())?;
        fs::write(with_suffix(&path, "gz"), gzip).map_err(|e| e.to_string())?;
    }
    Ok(())
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

/// A hash of every input file's path, size and modification time.
fn fingerprint(inputs: &[&str]) -> Result<String> {
    let mut files = Vec::new();
    for input in inputs {
        collect_files(&root().join(input), &mut files);
    }
    files.sort();
    let mut hasher = DefaultHasher::new();
    tools::TRUNK_VERSION.hash(&mut hasher);
    for file in files {
        let meta = fs::metadata(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        file.hash(&mut hasher);
        meta.len().hash(&mut hasher);
        meta.modified()
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map(|d| d.as_nanos())
            .hash(&mut hasher);
    }
    Ok(format!("{:016x}", hasher.finish()))
}

fn collect_files(path: &Path, files: &mut Vec<PathBuf>) {
    if path.is_dir() {
        if let Ok(entries) = fs::read_dir(path) {
            for entry in entries.flatten() {
                collect_files(&entry.path(), files);
            }
        }
    } else if path.is_file() {
        files.push(path.to_path_buf());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_app_has_its_own_fingerprint_and_the_resident_apps_ignores_the_workbench() {
        assert!(!RESIDENT_APP.inputs.contains(&"crates/workbench"));
        assert!(WORKBENCH.inputs.contains(&"crates/workbench"));
        assert!(WORKBENCH.inputs.contains(&"crates/core"));
        assert_ne!(
            fingerprint(RESIDENT_APP.inputs).unwrap(),
            fingerprint(WORKBENCH.inputs).unwrap()
        );
        assert!(WORKBENCH.dist.starts_with(RESIDENT_APP.dist));
    }

    #[test]
    fn compressed_copies_sit_beside_the_original() {
        assert_eq!(
            with_suffix(Path::new("dist/yousu-1a2b_bg.wasm"), "br"),
            Path::new("dist/yousu-1a2b_bg.wasm.br")
        );
    }

    #[test]
    fn precompressed_files_decode_to_the_original() {
        let dir = std::env::temp_dir().join(format!("xtask-precompress-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let original = "body { color: red; }\n".repeat(200);
        fs::write(dir.join("main.css"), &original).unwrap();
        fs::write(dir.join("photo.png"), b"not compressed").unwrap();
        precompress(&dir).unwrap();

        let mut from_brotli = Vec::new();
        brotli::BrotliDecompress(
            &mut fs::read(dir.join("main.css.br")).unwrap().as_slice(),
            &mut from_brotli,
        )
        .unwrap();
        assert_eq!(from_brotli, original.as_bytes());
        let mut from_gzip = String::new();
        std::io::Read::read_to_string(
            &mut flate2::read::GzDecoder::new(
                fs::read(dir.join("main.css.gz")).unwrap().as_slice(),
            ),
            &mut from_gzip,
        )
        .unwrap();
        assert_eq!(from_gzip, original);
        assert!(
            !dir.join("photo.png.br").exists(),
            "only text and wasm are compressed"
        );
        fs::remove_dir_all(&dir).unwrap();
    }
}
