//! The key pairs of suite 1: an Ed25519 signing key and an X25519 (age) encryption key, their public
//! halves, the key id and the fingerprint people compare. This module owns key material in memory only:
//! storing the secret halves (encrypted with Argon2id under a passphrase) belongs to the workspace.
//!
//! age exposes X25519 keys only as Bech32 strings (`age1…`, `AGE-SECRET-KEY-1…`), so raw bytes cross its
//! API through Bech32, with the same `bech32` crate age uses.

use super::PackageError;
use bech32::{FromBase32, ToBase32, Variant};
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};
use std::str::FromStr;
use zeroize::{Zeroize, Zeroizing};

const AGE_SECRET_HRP: &str = "age-secret-key-";
const AGE_PUBLIC_HRP: &str = "age";

/// Length of [`SecretKeys::to_bytes`]: the Ed25519 seed, then the X25519 secret scalar.
pub const SECRET_KEYS_LEN: usize = 64;

/// The secret halves of one identity. Both zeroize their memory on drop (ed25519-dalek's and
/// x25519-dalek's `zeroize` features); `Debug` prints only the key id.
#[derive(Clone)]
pub struct SecretKeys {
    signing: SigningKey,
    encryption: age::x25519::Identity,
    public: PublicKeys,
}

impl std::fmt::Debug for SecretKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SecretKeys({})", self.public.key_id())
    }
}

impl SecretKeys {
    /// A fresh identity from the operating system's random generator.
    pub fn generate() -> SecretKeys {
        let signing = SigningKey::generate(&mut rand_core::OsRng);
        let encryption = age::x25519::Identity::generate();
        SecretKeys::assemble(signing, encryption)
    }

    fn assemble(signing: SigningKey, encryption: age::x25519::Identity) -> SecretKeys {
        let recipient = encryption.to_public().to_string();
        let encryption_public = bech32_bytes(&recipient, AGE_PUBLIC_HRP)
            .and_then(|b| <[u8; 32]>::try_from(b.as_slice()).ok())
            .expect("age writes a 32-byte X25519 recipient in Bech32");
        let public = PublicKeys { signing: signing.verifying_key().to_bytes(), encryption: encryption_public };
        SecretKeys { signing, encryption, public }
    }

    /// The secret halves as bytes (Ed25519 seed ‖ X25519 secret), for the workspace to encrypt and store.
    pub fn to_bytes(&self) -> Zeroizing<[u8; SECRET_KEYS_LEN]> {
        use age::secrecy::ExposeSecret;
        let mut out = Zeroizing::new([0u8; SECRET_KEYS_LEN]);
        out[..32].copy_from_slice(self.signing.as_bytes());
        let encoded = self.encryption.to_string();
        let mut lower = Zeroizing::new(encoded.expose_secret().to_ascii_lowercase());
        let mut x = Zeroizing::new(bech32_bytes(&lower, AGE_SECRET_HRP).expect("age writes its own secret keys"));
        out[32..].copy_from_slice(&x[..32]);
        x.zeroize();
        lower.zeroize();
        out
    }

    /// The keys [`SecretKeys::to_bytes`] wrote. Any 64 bytes make a valid pair (X25519 clamps its scalar).
    pub fn from_bytes(bytes: &[u8; SECRET_KEYS_LEN]) -> SecretKeys {
        let mut seed = Zeroizing::new([0u8; 32]);
        seed.copy_from_slice(&bytes[..32]);
        let signing = SigningKey::from_bytes(&seed);
        let encoded = Zeroizing::new(
            bech32::encode(AGE_SECRET_HRP, (&bytes[32..]).to_base32(), Variant::Bech32)
                .expect("the HRP is valid")
                .to_ascii_uppercase(),
        );
        let encryption = age::x25519::Identity::from_str(&encoded).expect("any 32 bytes are an X25519 secret");
        SecretKeys::assemble(signing, encryption)
    }

    /// The public halves.
    pub fn public(&self) -> &PublicKeys {
        &self.public
    }

    /// The key id of the public halves.
    pub fn key_id(&self) -> String {
        self.public.key_id()
    }

    /// The Ed25519 signing key (for signing the audit chain's head into outgoing packages).
    pub fn signing_key(&self) -> &SigningKey {
        &self.signing
    }

    pub(crate) fn sign(&self, message: &[u8]) -> Signature {
        self.signing.sign(message)
    }

    pub(crate) fn identity(&self) -> &age::x25519::Identity {
        &self.encryption
    }
}

/// The public halves of an identity, as raw bytes: what a key card carries and a manifest names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PublicKeys {
    /// The Ed25519 verifying key.
    pub signing: [u8; 32],
    /// The X25519 public key (an age recipient).
    pub encryption: [u8; 32],
}

impl PublicKeys {
    /// First 16 hex characters of SHA-256 of the Ed25519 public key (domain.md, "Ids that cross machines").
    pub fn key_id(&self) -> String {
        key_id_of(&self.signing)
    }

    /// SHA-256 of (Ed25519 public ‖ X25519 public), shown as 6 groups of 5 digits a person can read out:
    /// group i is bytes 5i … 5i+4 as a big-endian 40-bit number, modulo 100000, zero-padded.
    pub fn fingerprint(&self) -> String {
        let mut h = Sha256::new();
        h.update(self.signing);
        h.update(self.encryption);
        let digest = h.finalize();
        (0..6)
            .map(|i| {
                let n = digest[5 * i..5 * i + 5].iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
                format!("{:05}", n % 100_000)
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The age recipient for encrypting to these keys.
    pub(crate) fn recipient(&self) -> age::x25519::Recipient {
        let s = bech32::encode(AGE_PUBLIC_HRP, self.encryption.to_base32(), Variant::Bech32).expect("the HRP is valid");
        age::x25519::Recipient::from_str(&s).expect("any 32 bytes are an X25519 public key")
    }

    /// The Ed25519 verifying key; refused when the bytes are not a point on the curve.
    pub(crate) fn verifying_key(&self) -> Result<VerifyingKey, PackageError> {
        VerifyingKey::from_bytes(&self.signing)
            .map_err(|_| PackageError::malformed("the sender's signing key is not a valid Ed25519 public key"))
    }
}

/// Key id of an Ed25519 public key.
pub fn key_id_of(signing: &[u8; 32]) -> String {
    let digest = Sha256::digest(signing);
    hex::encode(&digest[..8])
}

fn bech32_bytes(s: &str, hrp: &str) -> Option<Vec<u8>> {
    let (found, data, variant) = bech32::decode(s).ok()?;
    if found != hrp || variant != Variant::Bech32 {
        return None;
    }
    Vec::<u8>::from_base32(&data).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_bytes_round_trip_to_the_same_public_keys() {
        let keys = SecretKeys::generate();
        let again = SecretKeys::from_bytes(&keys.to_bytes());
        assert_eq!(keys.public(), again.public());
        assert_eq!(*keys.to_bytes(), *again.to_bytes());
        // The X25519 half really is the age identity: its recipient is the public key we report.
        assert_eq!(keys.identity().to_public().to_string(), keys.public().recipient().to_string());
    }

    #[test]
    fn key_id_and_fingerprint_follow_the_domain_rules() {
        let public = PublicKeys { signing: [7; 32], encryption: [9; 32] };
        let id = public.key_id();
        assert_eq!(id.len(), 16);
        assert_eq!(id, hex::encode(&Sha256::digest([7u8; 32])[..8]));

        let fp = public.fingerprint();
        let groups: Vec<&str> = fp.split(' ').collect();
        assert_eq!(groups.len(), 6);
        assert!(groups.iter().all(|g| g.len() == 5 && g.bytes().all(|b| b.is_ascii_digit())));
        let digest = Sha256::digest([[7u8; 32], [9u8; 32]].concat());
        let first = u64::from_be_bytes([0, 0, 0, digest[0], digest[1], digest[2], digest[3], digest[4]]);
        assert_eq!(groups[0], format!("{:05}", first % 100_000));
        // Either half changing changes the fingerprint.
        assert_ne!(fp, PublicKeys { signing: [7; 32], encryption: [8; 32] }.fingerprint());
    }
}
