//! litewrite: scripted, audited SQLite writes.
//!
//! Data flows one way: a command (`cmd/`) builds a [`job::WriteJob`], the
//! [`pipeline`] runs it inside a transaction through the chain of
//! [`wrappers`] configured in plugins.toml, and the outcome is printed by
//! [`output`].

pub mod access;
pub mod capture;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod db;
pub mod error;
pub mod input;
pub mod job;
pub mod output;
pub mod pipeline;
pub mod progress;
pub mod sqltext;
pub mod stdio;
pub mod store;
pub mod tabledef;
pub mod tx;
pub mod wrappers;
