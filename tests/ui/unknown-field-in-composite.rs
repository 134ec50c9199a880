use electro::Entity;

#[derive(Entity)]
#[electro(service = "s", entity = "e")]
#[electro(index(access = "a", pk(field = "pk", composite(idd))))]
struct E { id: String }
fn main() {

}
