//! Installing what building and testing need, each only when missing or of the wrong version
//! (see `../shared/TOOLCHAIN.md` for why each pin is what it is).

use std::fs;

use crate::run::{Result, cargo, command, have, output, root, step};

pub const TRUNK_VERSION: &str = "0.21.14";
const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// Everything `trunk build` needs: the wasm target, Trunk, the wasm-bindgen CLI of exactly the
/// library's version, and wasm-opt from npm's binaryen (Debian's breaks the module).
pub fn ensure_build_tools() -> Result {
    ensure_wasm_target()?;
    ensure_trunk()?;
    ensure_wasm_bindgen()?;
    ensure_npm_packages("xtask/npm", "wasm-opt (binaryen)")
}

fn ensure_wasm_target() -> Result {
    let installed = output(command("rustup").args(["target", "list", "--installed"]))
        .ok_or("rustup is needed to add the wasm target")?;
    if installed.lines().any(|l| l.trim() == WASM_TARGET) {
        return Ok(());
    }
    step(
        "adding the wasm target",
        command("rustup").args(["target", "add", WASM_TARGET]),
    )
}

fn ensure_trunk() -> Result {
    let version = output(command("trunk").arg("--version")).unwrap_or_default();
    if version == format!("trunk {TRUNK_VERSION}") {
        return Ok(());
    }
    step(
        &format!("installing Trunk {TRUNK_VERSION} (about 6 minutes, once)"),
        cargo().args(["install", "trunk", "--version", TRUNK_VERSION, "--locked"]),
    )
}

/// The wasm-bindgen version `Cargo.lock` resolved.
pub fn locked_wasm_bindgen_version() -> Result<String> {
    let lock = fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\""
            && let Some(version) = lines
                .next()
                .and_then(|l| l.strip_prefix("version = \""))
                .and_then(|l| l.strip_suffix('"'))
        {
            return Ok(version.to_owned());
        }
    }
    Err("Cargo.lock has no wasm-bindgen".into())
}

fn ensure_wasm_bindgen() -> Result {
    let wanted = locked_wasm_bindgen_version()?;
    let installed = output(command("wasm-bindgen").arg("--version")).unwrap_or_default();
    if installed == format!("wasm-bindgen {wanted}") {
        return Ok(());
    }
    // No --locked: with it, 0.2.130 fails to resolve one of its own locked dependencies.
    step(
        &format!("installing the wasm-bindgen CLI {wanted} (about 2 minutes, once)"),
        cargo().args([
            "install",
            "wasm-bindgen-cli",
            "--version",
            &wanted,
            "--force",
        ]),
    )
}

/// `npm ci` in `dir` unless its node_modules already match its lock file.
pub fn ensure_npm_packages(dir: &str, what: &str) -> Result {
    if !have("npm") {
        ensure_debian_packages(&["nodejs", "npm"])?;
    }
    let folder = root().join(dir);
    let lock = folder.join("package-lock.json");
    let stamp = folder.join("node_modules/.package-lock.json");
    let current = match (fs::read(&lock), fs::read(&stamp)) {
        (Ok(_), Ok(_)) => fs::metadata(&stamp)
            .and_then(|s| Ok(s.modified()? >= fs::metadata(&lock)?.modified()?))
            .unwrap_or(false),
        _ => false,
    };
    if current {
        return Ok(());
    }
    step(
        &format!("installing {what} from npm"),
        command("npm").args(["ci", "--no-audit", "--no-fund", "--prefix", dir]),
    )
}

/// Installs Debian packages that are not installed yet (`apt-get update` first, once).
pub fn ensure_debian_packages(packages: &[&str]) -> Result {
    let missing: Vec<&str> = packages
        .iter()
        .copied()
        .filter(|p| {
            output(command("dpkg-query").args(["-W", "-f=${Status}", p]))
                .is_none_or(|s| !s.ends_with("installed"))
        })
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let sudo = output(command("id").arg("-u")).is_none_or(|uid| uid != "0");
    let apt = |args: &[&str]| {
        let mut c = command(if sudo { "sudo" } else { "apt-get" });
        if sudo {
            c.arg("apt-get");
        }
        c.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        c
    };
    step("updating the Debian package lists", &mut apt(&["update"]))?;
    let mut install = apt(&["install", "-y"]);
    install.args(&missing);
    step(
        &format!("installing Debian packages: {}", missing.join(" ")),
        &mut install,
    )
}

/// PATH with our wasm-opt first, so Trunk never picks an older one.
pub fn path_with_wasm_opt() -> std::ffi::OsString {
    let ours = root().join("xtask/npm/node_modules/.bin");
    let mut paths = vec![ours];
    if let Some(path) = std::env::var_os("PATH") {
        paths.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(paths).expect("PATH entries are valid")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wasm_bindgen_version_comes_from_the_lock_file() {
        let version = locked_wasm_bindgen_version().unwrap();
        assert!(version.starts_with("0.2."), "{version}");
        let lock = fs::read_to_string(root().join("Cargo.lock")).unwrap();
        assert!(lock.contains(&format!("name = \"wasm-bindgen\"\nversion = \"{version}\"")));
    }
}
