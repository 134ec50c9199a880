use electro::Entity;

#[derive(Entity)]
#[electro(service = "s")]
#[electro(index(access = "a", pk(field = "pk", composite(id), colour = "x")))]
struct E { id: String, #[electro(wtch = "*")] b: Option<String> }
fn main() {

}
