//! `aigo runtime [status]`.

use clap::{Args, Subcommand};

use super::{Outcome, output};
use crate::config::Config;
use crate::state::StateDir;

#[derive(Debug, Args)]
pub struct RuntimeArgs {
    #[command(subcommand)]
    pub verb: Option<RuntimeVerb>,
    /// Print the API's JSON
    #[arg(long, global = true)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum RuntimeVerb {
    /// Detect the runtime and report it (the default)
    Status,
}

pub async fn run(state: &StateDir, args: RuntimeArgs) -> anyhow::Result<Outcome> {
    let config = Config::load(state)?;
    let status = crate::runtime::detect(&config).await.status;
    if args.json {
        output::print_json(&status)?;
    } else if status.available {
        let backend = status.backend.map(|b| b.display_name()).unwrap_or("?");
        println!(
            "{backend} {}",
            status.version.as_deref().unwrap_or("unknown")
        );
        println!("  {}", status.message);
        if let Some(g) = &status.networking.host_gateway {
            println!("  host gateway: {g}");
        }
        if !status.networking.extra_run_args.is_empty() {
            println!(
                "  extra run args: {}",
                status.networking.extra_run_args.join(" ")
            );
        }
        if let Some(e) = status.networking.egress {
            println!("  {}", e.describe());
        }
    } else {
        println!("Not available");
        println!("  {}", status.message);
    }
    Ok(if status.available {
        Outcome::Success
    } else {
        Outcome::Negative
    })
}
