//! Conformance vectors, scenarios, the local sandbox simulator and the runner.

pub mod cli;
pub mod folder;
pub mod runner;
pub mod sandbox;
pub mod vectors;
