use electro::Entity;

#[derive(Entity)]
#[electro(service = "s", entity = "e")]
#[electro(index(access = "a", pk(field = "pk", composite(id))))]
#[electro(index(access = "a", index = "gsi1", pk(field = "gsi1pk", composite(id))))]
struct E { id: String }
fn main() {

}
