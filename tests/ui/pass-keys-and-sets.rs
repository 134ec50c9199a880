use electro::{Entity, Enum};
use std::collections::BTreeSet;

#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[electro(rename_all = "lowercase")]
enum Extra { Breakfast, Spa }

#[derive(Entity)]
#[electro(service = "s", entity = "e", version = "1")]
#[electro(index(access = "a", scope = "t", pk(field = "pk", composite(id), casing = "upper"), sk(field = "sk", composite(n), cast = "number")))]
#[electro(index(access = "b", index = "gsi1", type = "composite", pk(composite(id)), sk(composite())))]
struct E {
    id: String,
    #[electro(padding(length = 4, char = "0"))]
    n: i64,
    extras: Option<BTreeSet<Extra>>,
    #[electro(validate(regex = "^a", flags = "i"))]
    tag: Option<String>,
}

fn main() {
    let p = E::entity().table("t").get(E::key().id("x").n(7)).params_json().unwrap();
    // A number-cast sort key of one composite is the number itself.
    assert_eq!(p["Key"]["sk"], 7);
    let q = E::entity().table("t").query(E::query().b().id("x")).params_json().unwrap();
    assert_eq!(q["IndexName"], "gsi1");
}
