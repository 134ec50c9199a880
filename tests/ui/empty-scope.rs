use electro::Entity;

#[derive(Entity)]
#[electro(service = "s", entity = "e")]
#[electro(index(access = "a", scope = "", pk(field = "pk", composite(id))))]
struct E { id: String }
fn main() {}
