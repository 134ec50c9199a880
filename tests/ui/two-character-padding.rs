use electro::Entity;

#[derive(Entity)]
#[electro(service = "s", entity = "e")]
#[electro(index(access = "a", pk(field = "pk", composite(id))))]
struct E { id: String, #[electro(padding(length = 4, char = "00"))] n: Option<i64> }
fn main() {}
