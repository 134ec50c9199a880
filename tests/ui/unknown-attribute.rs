use electro::Entity;

#[derive(Entity)]
#[electro(service = "s", entity = "e", colour = "red")]
#[electro(index(access = "a", pk(field = "pk", composite(id))))]
struct E { id: String }
fn main() {

}
