//! Shared by the fuzz target and the corpus seeder: the fixed test keys and the signing step of the
//! package format, so the fuzzer can reach the checks that come after a valid signature.

use ed25519_dalek::{Signer, SigningKey};
use lixiang_core::package::{SecretKeys, SECRET_KEYS_LEN};
use sha2::{Digest, Sha256};

/// The sender of every seeded package.
pub fn sender() -> SecretKeys {
    SecretKeys::from_bytes(&[1; SECRET_KEYS_LEN])
}

/// The recipient the fuzz target opens as.
pub fn recipient() -> SecretKeys {
    SecretKeys::from_bytes(&[2; SECRET_KEYS_LEN])
}

/// Appends the sender's signature to `body` as the format prescribes (the Ed25519 seed is the first half
/// of `SecretKeys::to_bytes`).
pub fn sign(body: &[u8]) -> Vec<u8> {
    let seed: [u8; 32] = sender().to_bytes()[..32].try_into().expect("32 bytes");
    let key = SigningKey::from_bytes(&seed);
    let mut message = b"LXPKG signature\0".to_vec();
    message.extend_from_slice(&Sha256::digest(body));
    let mut out = body.to_vec();
    out.extend_from_slice(&key.sign(&message).to_bytes());
    out
}
