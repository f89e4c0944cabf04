//! The `aigo` binary: parse, hand over to the library, turn the outcome into an exit code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = aigo::cli::Cli::parse();
    aigo::cli::main(cli)
}
