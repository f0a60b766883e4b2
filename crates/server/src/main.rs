//! `yousu-server`: reads its configuration, starts the platform and serves until Ctrl-C / SIGTERM.

use clap::Parser;
use yousu_server::{Application, Config, telemetry};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    telemetry::init();
    let config = Config::parse();
    let app = Application::build(config).await?;
    // Scripts and the browser tests read this line to find the server (port 0 picks a free one).
    println!("Yousu is serving at http://{}/", app.local_addr());
    app.run_until_stopped().await
}
