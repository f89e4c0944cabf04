//! aigo: run AI agents inside containers safely.
//!
//! The library holds everything; `main.rs` only parses arguments and calls
//! [`cli::run`]. Domain modules (`state`, `config`, `runtime`, `mounts`, …) never
//! print and never import `cli` or `api`, which are siblings over them.

pub mod accept;
pub mod api;
pub mod audit;
pub mod channels;
pub mod cli;
pub mod config;
pub mod ctx;
pub mod daemon;
pub mod groups;
pub mod image;
pub mod ipc;
pub mod logging;
pub mod mounts;
pub mod network;
pub mod proxy;
pub mod runs;
pub mod runtime;
pub mod schedule;
pub mod state;
pub mod tls;
pub mod util;
