//! `yousu-server`: reads its configuration, starts the platform and serves until Ctrl-C / SIGTERM.

use clap::Parser;
use yousu_server::config::Command;
use yousu_server::{Application, Config, demo, history, store, telemetry};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    telemetry::init();
    let config = Config::parse();
    if let Some(Command::ImportCatalog { file }) = &config.command {
        let text = std::fs::read_to_string(file)
            .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
        let data = demo::parse(&text).map_err(anyhow::Error::msg)?;
        let store = store::connect(&config.database).await?;
        let (units, categories, items) = demo::import(&*store, &data).await?;
        println!(
            "imported {units} units, {categories} categories and {items} dispatch items into {}",
            config.database
        );
        return Ok(());
    }
    if let Some(Command::CreateAdmin { username, name }) = &config.command {
        let password = match std::env::var("YOUSU_ADMIN_PASSWORD") {
            Ok(password) => password,
            Err(_) => read_password(&format!("password for {username}: "))?,
        };
        let store = store::connect(&config.database).await?;
        yousu_server::services::admin::staff::create_first_admin(
            &*store,
            config.clock(),
            username,
            name,
            password,
        )
        .await?;
        println!(
            "created the administrator {username} in {}; sign in at /staff/",
            config.database
        );
        return Ok(());
    }
    if let Some(Command::ImportHistory { file }) = &config.command {
        let text = std::fs::read_to_string(file)
            .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
        let store = store::connect(&config.database).await?;
        let (imported, skipped) = history::import(&*store, &text).await?;
        println!(
            "imported {imported} past work orders into {}; skipped {skipped} naming no known unit",
            config.database
        );
        return Ok(());
    }
    if let Some(Command::DispatchEval {
        train,
        test,
        cv,
        seed,
    }) = &config.command
    {
        let read = |path: &std::path::PathBuf| {
            std::fs::read_to_string(path)
                .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))
        };
        let train = read(train)?;
        let test = test.as_ref().map(read).transpose()?;
        let cv = cv.or(if test.is_none() { Some(5) } else { None });
        let report = yousu_dispatch::eval::run(&train, test.as_deref(), cv, *seed)?;
        println!("{}", report.to_json_line());
        return Ok(());
    }
    let app = Application::build(config).await?;
    // Scripts and the browser tests read this line to find the server (port 0 picks a free one).
    println!("Yousu is serving at http://{}/", app.local_addr());
    app.run_until_stopped().await
}

/// One line from standard input, the terminal's echo off while it is typed.
fn read_password(prompt: &str) -> anyhow::Result<String> {
    use std::io::{BufRead, IsTerminal, Write};
    let terminal = std::io::stdin().is_terminal();
    let stty = |flag: &str| {
        let _ = std::process::Command::new("stty")
            .arg(flag)
            .stdin(std::process::Stdio::inherit())
            .status();
    };
    if terminal {
        eprint!("{prompt}");
        std::io::stderr().flush()?;
        stty("-echo");
    }
    let mut line = String::new();
    let read = std::io::stdin().lock().read_line(&mut line);
    if terminal {
        stty("echo");
        eprintln!();
    }
    read?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}
