//! electro's quickstart: load ElectroDB's shopping-mall model and print the exact
//! DynamoDB params of a few operations. Offline: no database is needed.
//!
//! ```sh
//! cargo run --example quickstart
//! ```

use electro::entity::{Entity, Options, Order};
use electro::item;

fn main() -> Result<(), electro::Error> {
    let mall = Entity::from_json(include_str!("models/mallstore.json"))?.table("StoreDirectory");

    let store = item! {
        "cityId" => "Atlanta1", "mallId" => "EastPointe", "storeId" => "LatteLarrys",
        "buildingId" => "BuildingA1", "unitId" => "B47", "category" => "food/coffee",
        "leaseEndDate" => "2020-03-22", "rent" => "4500.00",
    };
    let key = item! {
        "cityId" => "Atlanta1", "mallId" => "EastPointe",
        "buildingId" => "BuildingA1", "storeId" => "LatteLarrys",
    };

    show(
        "put (validation, the default discount, keys of all three indexes)",
        mall.put(store.clone()).params()?,
    );

    show("get", mall.get(key.clone()).params()?);

    show(
        "query leases between two dates, filtered by rent and discount",
        mall.query("leases", item! {"storeId" => "LatteLarrys"})
            .between(
                item! {"leaseEndDate" => "2020-04-01"},
                item! {"leaseEndDate" => "2020-07-01"},
            )
            .where_(|a, op| {
                format!(
                    "{} AND {}",
                    op.between(&a.get("rent"), "2000.00", "5000.00"),
                    op.eq(&a.get("discount"), "1000.00")
                )
            })
            .params_with(&Options::default().limit(10).order(Order::Desc))?,
    );

    show(
        "patch: set and add, only if the rent is what we expect",
        mall.patch(key.clone())
            .set(item! {"category" => "food/meal"})
            .add(item! {"deposit" => 500})
            .where_(|a, op| op.eq(&a.get("rent"), "4500.00"))
            .params()?,
    );

    show(
        "remove: delete only if it exists",
        mall.remove(key).params()?,
    );

    match mall.put(item! {"cityId" => "Atlanta1"}).params() {
        Ok(_) => println!("unexpected: an incomplete put was accepted"),
        Err(e) => println!("== an invalid put fails with code {}:\n{e}\n", e.code()),
    }
    Ok(())
}

fn show(title: &str, params: electro::entity::Params) {
    println!(
        "== {title}\n{}\n",
        serde_json::to_string_pretty(&params.to_json()).unwrap_or_default()
    );
}
