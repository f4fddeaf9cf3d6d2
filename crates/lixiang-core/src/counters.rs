//! The counters a workspace hands out to other machines, and what a restore does to them.
//!
//! Numbers that leave the machine must never be handed out twice: the office's 申报编号
//! (`2027-ZX06-000042`, per year and programme) and expert numbers (`ZJ000007`), and an expert's return
//! numbers per packet (the office refuses a return not newer than the last it holds,
//! `package.superseded`). Each is the highest value in the workspace's data plus one, and never less
//! than a floor kept in the store (`counter_floor`).
//!
//! A backup records every counter's value (in its signed payload). A restore cannot know what the lost
//! machine handed out *after* the backup, so it does not merely continue from the recorded value: it
//! starts a **restore epoch**. Every counter's floor becomes [`floor_after_restore`] of its recorded
//! value — the end of the next whole block of [`RESTORE_BLOCK`] at least one block past it — and so
//! does the floor of counters the backup did not know yet (a programme whose first 申报编号 was given
//! after the backup, a packet received after it). With the backup at `2027-ZX06-000042` the restored
//! office gives `2027-ZX06-002001` next; an expert whose backup holds return 1 of a packet writes
//! return 2001. The rule assumes fewer than a thousand numbers of one counter were handed out between
//! the backup and the loss (a daily backup keeps that true); the jump also makes a restore visible in
//! the numbers themselves. The restore's audit event lists each counter's recorded value and new floor.

use lixiang_store::{Writer, COUNTER_DEFAULT};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The block a restore epoch advances counters by.
pub const RESTORE_BLOCK: u64 = 1000;

/// The floor a counter gets after a restore from a backup that recorded `recorded`: the next number
/// handed out is the floor plus one, the first of a fresh block of [`RESTORE_BLOCK`] at least a whole
/// block above `recorded` (42 → floor 2000, next 2001; 0 → next 2001; 1999 → next 3001).
pub fn floor_after_restore(recorded: u64) -> u64 {
    (recorded / RESTORE_BLOCK).saturating_add(2).saturating_mul(RESTORE_BLOCK)
}

/// One counter as a restore moved it (for the audit event and the report).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct CounterMoved {
    pub counter: String,
    /// The value the backup recorded (or the restored data holds, when higher).
    #[specta(type = f64)]
    pub recorded: u64,
    /// The new floor: the next value handed out is this plus one.
    #[specta(type = f64)]
    pub floor: u64,
}

/// Raises every counter's floor past `recorded` by the restore rule, and the default floor too, inside
/// the restore's transaction. Returns what moved, by counter name.
pub(crate) fn start_restore_epoch(
    w: &Writer<'_>,
    recorded: &BTreeMap<String, u64>,
) -> crate::Result<Vec<CounterMoved>> {
    let mut all = recorded.clone();
    // The restored data itself may hold more than the payload says (it cannot hold less).
    for (name, v) in w.reader().counters()? {
        let e = all.entry(name).or_insert(0);
        *e = (*e).max(v);
    }
    all.entry(COUNTER_DEFAULT.to_string()).or_insert(0);
    let mut moved = Vec::with_capacity(all.len());
    for (counter, recorded) in all {
        let floor = floor_after_restore(recorded);
        w.counter_floor_raise(&counter, floor)?;
        moved.push(CounterMoved { counter, recorded, floor });
    }
    Ok(moved)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_restore_rule_starts_a_fresh_block_at_least_one_block_past_the_recorded_value() {
        assert_eq!(floor_after_restore(0), 2000);
        assert_eq!(floor_after_restore(42), 2000);
        assert_eq!(floor_after_restore(999), 2000);
        assert_eq!(floor_after_restore(1000), 3000);
        assert_eq!(floor_after_restore(1999), 3000);
        for v in [0u64, 1, 7, 999, 1000, 123_456] {
            let f = floor_after_restore(v);
            assert!(f >= v + RESTORE_BLOCK, "{v}: a whole block of numbers stays unused");
            assert_eq!(f % RESTORE_BLOCK, 0);
        }
        assert_eq!(floor_after_restore(u64::MAX), u64::MAX);
    }
}

#[cfg(test)]
#[path = "counters_tests.rs"]
mod restore_tests;
