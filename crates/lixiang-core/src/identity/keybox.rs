//! Private keys at rest: a [`KeyBox`] is secret bytes encrypted under a passphrase, with Argon2id
//! deriving the key and ChaCha20-Poly1305 sealing the bytes. The box stores its own Argon2 parameters
//! and salt, so boxes made with today's parameters open after the defaults change, and tests can use
//! cheap ones. The same secret is boxed twice at identity creation: under the person's passphrase
//! and under the one-time recovery passphrase (see [`recovery_passphrase`]).

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use rand_core::{OsRng, RngCore};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

/// Argon2id cost. The default (64 MiB, 3 passes) takes about half a second on a recent laptop: slow
/// enough to make guessing a passphrase from a stolen backup expensive, quick enough to unlock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    pub memory_kib: u32,
    pub passes: u32,
    pub lanes: u32,
}

impl Default for KdfParams {
    fn default() -> Self {
        KdfParams { memory_kib: 64 * 1024, passes: 3, lanes: 1 }
    }
}

impl KdfParams {
    /// Cheap parameters for tests and benchmarks only (the box records them, so nothing else changes).
    pub const FOR_TESTS: KdfParams = KdfParams { memory_kib: 256, passes: 1, lanes: 1 };
}

/// Secret bytes sealed under a passphrase. Serialised as JSON into the workspace (and so into backups).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyBox {
    /// Format of the box; 1 = Argon2id v19 + ChaCha20-Poly1305, the key id as associated data.
    pub version: u16,
    pub kdf: KdfParams,
    #[serde(with = "hex_bytes")]
    pub salt: Vec<u8>,
    #[serde(with = "hex_bytes")]
    pub nonce: Vec<u8>,
    #[serde(with = "hex_bytes")]
    pub ciphertext: Vec<u8>,
}

/// Why a box did not open.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyBoxError {
    /// The passphrase is not the one the box was sealed with (or the box was altered).
    #[error("wrong passphrase")]
    WrongPassphrase,
    /// The box is not one this version reads (damaged, or written by a newer Lixiang).
    #[error("unreadable key box: {0}")]
    Unreadable(String),
}

const BOX_VERSION: u16 = 1;

fn derive(passphrase: &str, salt: &[u8], kdf: KdfParams) -> Result<Zeroizing<[u8; 32]>, KeyBoxError> {
    let params = argon2::Params::new(kdf.memory_kib, kdf.passes, kdf.lanes, Some(32))
        .map_err(|e| KeyBoxError::Unreadable(format!("Argon2 parameters: {e}")))?;
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut key = Zeroizing::new([0u8; 32]);
    argon
        .hash_password_into(passphrase.as_bytes(), salt, key.as_mut())
        .map_err(|e| KeyBoxError::Unreadable(format!("Argon2: {e}")))?;
    Ok(key)
}

impl KeyBox {
    /// Seals `secret` under `passphrase`. `context` (the key id) is bound to the box as associated
    /// data, so a box copied onto another identity's record does not open.
    pub fn seal(secret: &[u8], passphrase: &str, context: &str, kdf: KdfParams) -> KeyBox {
        let mut salt = vec![0u8; 16];
        OsRng.fill_bytes(&mut salt);
        let mut nonce = vec![0u8; 12];
        OsRng.fill_bytes(&mut nonce);
        let key = derive(passphrase, &salt, kdf).expect("the parameters given to seal are valid");
        let cipher = ChaCha20Poly1305::new(Key::from_slice(key.as_ref()));
        let ciphertext = cipher
            .encrypt(Nonce::from_slice(&nonce), Payload { msg: secret, aad: context.as_bytes() })
            .expect("ChaCha20-Poly1305 encryption of a small buffer does not fail");
        KeyBox { version: BOX_VERSION, kdf, salt, nonce, ciphertext }
    }

    /// Opens the box with `passphrase`; the bytes are wiped from memory when dropped.
    pub fn open(&self, passphrase: &str, context: &str) -> Result<Zeroizing<Vec<u8>>, KeyBoxError> {
        if self.version != BOX_VERSION {
            return Err(KeyBoxError::Unreadable(format!("box version {} (this version reads 1)", self.version)));
        }
        if self.nonce.len() != 12 || self.salt.len() < 8 {
            return Err(KeyBoxError::Unreadable("salt or nonce of the wrong length".into()));
        }
        let key = derive(passphrase, &self.salt, self.kdf)?;
        let cipher = ChaCha20Poly1305::new(Key::from_slice(key.as_ref()));
        cipher
            .decrypt(Nonce::from_slice(&self.nonce), Payload { msg: &self.ciphertext, aad: context.as_bytes() })
            .map(Zeroizing::new)
            .map_err(|_| KeyBoxError::WrongPassphrase)
    }
}

/// The alphabet of recovery passphrases: Crockford's base32 without the letters people misread
/// (no I, L, O, U), so it can be copied by hand onto paper and typed back.
const RECOVERY_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A new one-time recovery passphrase: 6 groups of 5 characters (150 random bits), e.g.
/// `7K3QX-M0D2R-…`. It is shown once at identity creation, to keep in a safe.
pub fn recovery_passphrase() -> Zeroizing<String> {
    let mut bytes = Zeroizing::new([0u8; 30]);
    OsRng.fill_bytes(bytes.as_mut());
    let mut out = Zeroizing::new(String::with_capacity(35));
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 && i % 5 == 0 {
            out.push('-');
        }
        out.push(RECOVERY_ALPHABET[(*b & 31) as usize] as char);
    }
    out
}

/// A recovery passphrase as typed back: upper-cased, spaces and dashes dropped, the misread letters
/// mapped (O→0, I/L→1), then regrouped, so "7k3qx m0d2r …" opens the box sealed under "7K3QX-M0D2R-…".
pub fn normalise_recovery(typed: &str) -> Zeroizing<String> {
    let mut chars = Zeroizing::new(String::new());
    for c in typed.chars().filter(|c| !c.is_whitespace() && *c != '-') {
        let c = match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        };
        chars.push(c);
    }
    let mut out = Zeroizing::new(String::with_capacity(chars.len() + 6));
    for (i, c) in chars.chars().enumerate() {
        if i > 0 && i % 5 == 0 {
            out.push('-');
        }
        out.push(c);
    }
    out
}

mod hex_bytes {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex::encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let s = String::deserialize(d)?;
        hex::decode(s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_box_opens_with_its_passphrase_and_context_only() {
        let secret = b"32 bytes of secret key material!";
        let b = KeyBox::seal(secret, "正确的口令 horse", "0123456789abcdef", KdfParams::FOR_TESTS);
        assert_eq!(b.open("正确的口令 horse", "0123456789abcdef").unwrap().as_slice(), secret);
        assert_eq!(b.open("正确的口令 horsE", "0123456789abcdef"), Err(KeyBoxError::WrongPassphrase));
        assert_eq!(b.open("正确的口令 horse", "fedcba9876543210"), Err(KeyBoxError::WrongPassphrase));
        let json = serde_json::to_string(&b).unwrap();
        let back: KeyBox = serde_json::from_str(&json).unwrap();
        assert_eq!(back.open("正确的口令 horse", "0123456789abcdef").unwrap().as_slice(), secret);
    }

    #[test]
    fn an_altered_box_does_not_open() {
        let b = KeyBox::seal(b"secret", "pw", "ctx", KdfParams::FOR_TESTS);
        for i in 0..b.ciphertext.len() {
            let mut bad = b.clone();
            bad.ciphertext[i] ^= 1;
            assert_eq!(bad.open("pw", "ctx"), Err(KeyBoxError::WrongPassphrase), "byte {i}");
        }
        let mut bad = b.clone();
        bad.salt[0] ^= 1;
        assert_eq!(bad.open("pw", "ctx"), Err(KeyBoxError::WrongPassphrase));
        let mut newer = b;
        newer.version = 2;
        assert!(matches!(newer.open("pw", "ctx"), Err(KeyBoxError::Unreadable(_))));
    }

    #[test]
    fn recovery_passphrases_are_six_groups_of_five_and_survive_retyping() {
        let p = recovery_passphrase();
        let groups: Vec<&str> = p.split('-').collect();
        assert_eq!(groups.len(), 6);
        assert!(groups.iter().all(|g| g.len() == 5 && g.bytes().all(|c| RECOVERY_ALPHABET.contains(&c))));
        assert_ne!(*p, *recovery_passphrase(), "each passphrase is new");
        let typed = p.to_lowercase().replace('-', " ").replace('0', "o");
        assert_eq!(*normalise_recovery(&typed), *p);
    }
}
