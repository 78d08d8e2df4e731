//! litewrite: scripted, audited SQLite writes.
//!
//! Data flows one way: a front end (`main`, or a transaction holder serving
//! a request, [`tx::holder`]) builds a [`session::Session`]; a command
//! (`cmd/`) reads its arguments and the session and builds a
//! [`job::WriteJob`]; the [`pipeline`] runs it in a transaction (its own,
//! or a held one) through the chain of [`wrappers`] configured in
//! plugins.toml; and the outcome is printed by [`output`] on the session's
//! stdout.

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
pub mod session;
pub mod settings;
pub mod sqltext;
pub mod store;
pub mod tabledef;
pub mod tx;
pub mod wrappers;
