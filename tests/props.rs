//! The fuzz targets' properties (`fuzz/`, see RELIABILITY.md) under proptest, so
//! that every test run checks them on a few hundred inputs: the model loader, key
//! templates with hostile composite values, cursor decoding, and the expression
//! renderer's placeholder invariant. No panics; invariants hold.

#[path = "support/fuzz_props.rs"]
mod fuzz_props;

use proptest::prelude::*;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 300,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn model_loader_never_panics(text in "\\PC{0,200}", bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        fuzz_props::model_loader(text.as_bytes());
        fuzz_props::model_loader(&bytes);
        // Mutations of a real model.
        let mut model = br#"{"model":{"entity":"e","version":"1","service":"s"},"attributes":{"id":{"type":"string"}},"indexes":{"i":{"pk":{"field":"pk","composite":["id"]}}}}"#.to_vec();
        for (i, b) in bytes.iter().enumerate().take(8) {
            let at = (*b as usize * 7 + i * 13) % model.len();
            model[at] = bytes[(i + 1) % bytes.len()];
        }
        fuzz_props::model_loader(&model);
    }

    #[test]
    fn key_templates_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..96)) {
        fuzz_props::key_templates(&bytes);
    }

    #[test]
    fn cursor_decoding_never_panics(text in "[A-Za-z0-9_=-]{0,120}", bytes in proptest::collection::vec(any::<u8>(), 0..120)) {
        fuzz_props::cursor(text.as_bytes());
        fuzz_props::cursor(&bytes);
        let encoded = base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, &bytes);
        fuzz_props::cursor(encoded.as_bytes());
    }

    #[test]
    fn rendered_placeholders_are_all_registered(bytes in proptest::collection::vec(any::<u8>(), 0..160)) {
        fuzz_props::render(&bytes);
    }
}

/// Found by the `cursor` fuzz target: a number key (`5.08E114`) decoded 1 ulp off
/// and re-encoded differently, so a resumed cursor could start at another key.
/// Fixed by serde_json's `float_roundtrip` (correctly rounded float parsing).
#[test]
fn cursor_numbers_round_trip_exactly() {
    fuzz_props::cursor(b"IA17IiI6IA01LjA4RTExNA19IA");
}
