use electro::Entity;

#[derive(Entity)]
#[electro(service = "s", entity = "e")]
#[electro(index(access = "a", pk(field = "pk", composite(id), casing = "title")))]
struct E { id: String }
fn main() {}
