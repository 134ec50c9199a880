//! The shopping-mall directory of the ElectroDB docs, with a derived entity. Prints
//! params offline.
//!
//! `cargo run --example mall`

// Clippy reads repeated field names in `#[electro(index(...))]` as duplicated attributes.
#![allow(clippy::duplicated_attributes)]

use electro::Entity;
use electro::typed::WhereExt;

#[derive(Entity, Clone, Debug, PartialEq)]
#[electro(
    service = "MallStoreDirectory",
    entity = "MallStore",
    version = "1",
    rename_all = "camelCase"
)]
#[electro(index(
    access = "store",
    pk(field = "pk", composite(city_id, mall_id)),
    sk(field = "sk", composite(building_id, store_id))
))]
#[electro(index(
    access = "units",
    index = "gis1pk-gsi1sk-index",
    pk(field = "gis1pk", composite(mall_id)),
    sk(field = "gsi1sk", composite(building_id, unit_id))
))]
#[electro(index(
    access = "leases",
    index = "gis2pk-gsi2sk-index",
    pk(field = "gis2pk", composite(store_id)),
    sk(field = "gsi2sk", composite(lease_end_date))
))]
struct MallStore {
    city_id: String,
    mall_id: String,
    store_id: String,
    building_id: String,
    unit_id: String,
    lease_end_date: String,
    #[electro(validate = r"^(\d+\.\d{2})$")]
    rent: String,
    #[electro(default = "0.00", validate = r"^(\d+\.\d{2})$")]
    discount: Option<String>,
}

fn main() {
    let mall = MallStore::entity().table("StoreDirectory");
    let store = MallStore {
        city_id: "Atlanta1".into(),
        mall_id: "EastPointe".into(),
        store_id: "LatteLarrys".into(),
        building_id: "BuildingA1".into(),
        unit_id: "B47".into(),
        lease_end_date: "2020-04-01".into(),
        rent: "4500.00".into(),
        discount: None,
    };
    let print = |title: &str, p: electro::Result<electro::entity::Params>| {
        println!(
            "// {title}\n{}\n",
            serde_json::to_string_pretty(&p.unwrap().to_json()).unwrap()
        )
    };
    print("create", mall.create(&store).params());
    let key = || {
        MallStore::key()
            .city_id("Atlanta1")
            .mall_id("EastPointe")
            .building_id("BuildingA1")
            .store_id("LatteLarrys")
    };
    print("get", mall.get(key()).params());
    print(
        "update rent where rent is 4000.00",
        mall.update(key())
            .set(MallStore::RENT, "4500.00")
            .condition(MallStore::RENT.eq("4000.00"))
            .params(),
    );
    print(
        "leases ending in 2020 with rent between 2000.00 and 5000.00",
        mall.query(MallStore::query().leases().store_id("LatteLarrys"))
            .filter(
                MallStore::RENT.between("2000.00", "5000.00") & MallStore::DISCOUNT.eq("1000.00"),
            )
            .params(),
    );
    print(
        "units of a building",
        mall.query(
            MallStore::query()
                .units()
                .mall_id("EastPointe")
                .building_id("BuildingA1"),
        )
        .params(),
    );
}
