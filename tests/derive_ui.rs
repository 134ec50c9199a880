//! Compile-time rules of `#[derive(Entity)]` and the typed API (trybuild).

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/pass-*.rs");
    t.compile_fail("tests/ui/[!p]*.rs");
}
