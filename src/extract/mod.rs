//! Extraction from article text: dates, page debris, near-duplicate
//! fingerprints. (Entities have their own module.)

pub mod date;
pub mod debris;
pub mod fingerprint;
