use electro::Entity;

#[derive(Entity)]
#[electro(service = "s", entity = "e")]
#[electro(index(access = "a", pk(field = "pk", composite(id)), sk(field = "sk", composite(id))))]
struct E { id: String }
fn main() {

}
