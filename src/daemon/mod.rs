//! The daemon supervisor.
