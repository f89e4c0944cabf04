//! aigo: run AI agents inside containers safely.
//!
//! The library holds everything; `main.rs` only parses arguments and calls
//! [`cli::run`]. Domain modules (`state`, `config`, `runtime`, `mounts`, …) never
//! print and never import `cli` or `api`, which are siblings over them.

pub mod api;
pub mod cli;
pub mod config;
pub mod daemon;
pub mod image;
pub mod logging;
pub mod mounts;
pub mod runtime;
pub mod state;
