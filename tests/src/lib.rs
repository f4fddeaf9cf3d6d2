//! Scenario tests live in `tests/scenarios.rs`; this library is empty on purpose.
