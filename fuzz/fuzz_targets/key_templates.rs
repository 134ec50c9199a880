#![no_main]

#[path = "../../tests/support/fuzz_props.rs"]
mod fuzz_props;

libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_props::key_templates(data));
