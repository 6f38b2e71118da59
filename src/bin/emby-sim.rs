//! `emby-sim --scenario FILE`: serves a simulated Emby Connect service, Emby Servers and LAN
//! discovery on 127.0.0.1 until Ctrl-C. Logs go to stderr at the `RUST_LOG` level.

use std::path::PathBuf;

use clap::Parser;
use emby_tui::sim::{Scenario, Sim};

/// Simulator of Emby Connect and Emby Servers, for tests and demos.
#[derive(Parser)]
#[command(
    name = "emby-sim",
    version,
    about = "A simulator of Emby Connect, Emby Servers and LAN discovery, for tests and the demo"
)]
struct Args {
    /// Scenario file (TOML), e.g. assets/scenarios/demo.toml.
    #[arg(long, short)]
    scenario: PathBuf,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();
    let args = Args::parse();
    let scenario = Scenario::load(&args.scenario)?;
    let sim = Sim::start(scenario).await?;
    println!("{}", sim.summary());
    println!("Press Ctrl-C to stop.");
    tokio::signal::ctrl_c().await?;
    sim.shutdown().await;
    Ok(())
}
