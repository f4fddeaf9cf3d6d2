//! The identity's private keys while the window is unlocked: held in memory only, never written
//! anywhere, and dropped (their memory zeroized by `SecretKeys`' own drop) when the person locks, when
//! the app exits, or after [`IDLE_LIMIT`] without a command that used them.
//!
//! Expiry is checked at every use (so keys past their time are never handed out, whatever a timer
//! did) and by a background tick in the app that tells the window it locked. Times are passed in, so
//! tests can move the clock instead of sleeping.

use lixiang_core::package::SecretKeys;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long unlocked keys stay in memory without being used.
pub const IDLE_LIMIT: Duration = Duration::from_secs(30 * 60);

struct Held {
    keys: SecretKeys,
    last_used: Instant,
}

/// The unlocked keys, if any, and when they were last used.
pub struct KeyHolder {
    idle_limit: Duration,
    held: Mutex<Option<Held>>,
}

impl KeyHolder {
    /// Keys put here are dropped once `idle_limit` passes without a use.
    pub fn new(idle_limit: Duration) -> KeyHolder {
        KeyHolder { idle_limit, held: Mutex::new(None) }
    }

    pub fn idle_limit(&self) -> Duration {
        self.idle_limit
    }

    fn held(&self) -> std::sync::MutexGuard<'_, Option<Held>> {
        self.held.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Drops the keys when they have been idle for the limit; true when this call dropped them.
    fn expire(held: &mut Option<Held>, limit: Duration, now: Instant) -> bool {
        if held.as_ref().is_some_and(|h| now.saturating_duration_since(h.last_used) >= limit) {
            *held = None;
            return true;
        }
        false
    }

    /// Holds freshly unlocked keys (replacing any held before); the idle time starts at `now`.
    pub fn put(&self, keys: SecretKeys, now: Instant) {
        *self.held() = Some(Held { keys, last_used: now });
    }

    /// The keys for a command that signs or decrypts, and restarts the idle time; `None` when locked
    /// or when they were idle too long (then they are dropped now).
    pub fn use_keys(&self, now: Instant) -> Option<SecretKeys> {
        let mut held = self.held();
        Self::expire(&mut held, self.idle_limit, now);
        held.as_mut().map(|h| {
            h.last_used = now;
            h.keys.clone()
        })
    }

    /// The keys for work the person did not ask for (the daily backup): unlike [`KeyHolder::use_keys`],
    /// the idle time is not restarted, so a background task never keeps the keys unlocked.
    pub fn peek_keys(&self, now: Instant) -> Option<SecretKeys> {
        let mut held = self.held();
        Self::expire(&mut held, self.idle_limit, now);
        held.as_ref().map(|h| h.keys.clone())
    }

    /// Whether keys are held (dropping them first if idle too long). Looking does not count as a use.
    pub fn is_unlocked(&self, now: Instant) -> bool {
        let mut held = self.held();
        Self::expire(&mut held, self.idle_limit, now);
        held.is_some()
    }

    /// The background tick: drops idle keys; true when this call locked them (to tell the window).
    pub fn expire_if_idle(&self, now: Instant) -> bool {
        Self::expire(&mut self.held(), self.idle_limit, now)
    }

    /// Drops the keys now (the lock button, the app's exit); true when some were held.
    pub fn lock(&self) -> bool {
        self.held().take().is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: Duration = Duration::from_secs(60);

    #[test]
    fn keys_are_dropped_after_the_idle_limit_and_every_use_restarts_it() {
        let holder = KeyHolder::new(30 * MIN);
        let keys = SecretKeys::generate();
        let id = keys.key_id();
        let t0 = Instant::now();
        holder.put(keys, t0);

        // Used at 29 minutes: still there, and the idle time starts again.
        assert_eq!(holder.use_keys(t0 + 29 * MIN).map(|k| k.key_id()), Some(id.clone()));
        // 29 more minutes (58 since unlocking): still unlocked, because of that use.
        assert!(holder.is_unlocked(t0 + 58 * MIN));
        assert!(!holder.expire_if_idle(t0 + 58 * MIN));
        // Looking is not using: 30 minutes after the last use they are gone.
        assert!(holder.expire_if_idle(t0 + 59 * MIN));
        assert!(!holder.expire_if_idle(t0 + 60 * MIN), "reported once");
        assert!(holder.use_keys(t0 + 59 * MIN).is_none());
        assert!(!holder.is_unlocked(t0 + 59 * MIN));
    }

    #[test]
    fn a_use_after_the_limit_gets_nothing_even_without_the_background_tick() {
        let holder = KeyHolder::new(Duration::from_millis(50));
        let t0 = Instant::now();
        holder.put(SecretKeys::generate(), t0);
        assert!(holder.use_keys(t0 + Duration::from_millis(49)).is_some());
        assert!(holder.use_keys(t0 + Duration::from_millis(49 + 50)).is_none());
        assert!(!holder.is_unlocked(t0 + Duration::from_millis(49)), "dropped, not hidden");
    }

    #[test]
    fn peeking_does_not_restart_the_idle_time() {
        let holder = KeyHolder::new(30 * MIN);
        let t0 = Instant::now();
        holder.put(SecretKeys::generate(), t0);
        assert!(holder.peek_keys(t0 + 29 * MIN).is_some());
        assert!(holder.peek_keys(t0 + 30 * MIN).is_none(), "the peek at 29 minutes was no use");
    }

    #[test]
    fn lock_drops_the_keys_at_once() {
        let holder = KeyHolder::new(IDLE_LIMIT);
        let t0 = Instant::now();
        assert!(!holder.lock());
        holder.put(SecretKeys::generate(), t0);
        assert!(holder.lock());
        assert!(holder.use_keys(t0).is_none());
        assert_eq!(IDLE_LIMIT, 30 * MIN);
    }
}
