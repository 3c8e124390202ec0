//! Conformance vectors, scenarios, the local sandbox simulator and the runner.

pub mod cli;
pub mod sandbox;
pub mod vectors;
