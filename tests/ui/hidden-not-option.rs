use electro::Entity;

#[derive(Entity)]
#[electro(service = "s", entity = "e")]
#[electro(index(access = "a", pk(field = "pk", composite(id))))]
struct E { id: String, #[electro(hidden)] secret: String }
fn main() {

}
