//! Rendered strings and placeholder orders taken from the conformance corpus
//! (`/work/shared/conformance/cases`), reproduced through the public API the way the
//! entity layer drives it.

use electro_expr::{
    AttrKind, Condition, ExpressionState, FilterExpression, FilterOp, Operand, Path, UpdateAction,
    UpdateExpression, Value, render_condition,
};

/// The names of a name or value map, in order.
fn keys<'a, M, V>(m: &'a M) -> Vec<&'a str>
where
    &'a M: IntoIterator<Item = (&'a electro_expr::Name, V)>,
{
    m.into_iter().map(|(k, _)| k.as_str()).collect()
}

fn p(name: &str) -> Path {
    Path::root(name)
}

/// The identifiers and composite keys the entity appends to every mallstore update.
fn finish_mallstore(u: &mut UpdateExpression) {
    for (k, v) in [
        ("cityId", "Austin"),
        ("mallId", "Barton Creek"),
        ("buildingId", "North"),
        ("storeId", "Amy's Ice Creams"),
        ("__edb_e__", "MallStore"),
        ("__edb_v__", "1"),
    ] {
        u.set(k, v.into(), false);
    }
}

const MALLSTORE_TAIL: &str = "#cityId = :cityId_u0, #mallId = :mallId_u0, #buildingId = :buildingId_u0, #storeId = :storeId_u0, #__edb_e__ = :__edb_e___u0, #__edb_v__ = :__edb_v___u0";

#[test]
fn where_map_and_list_paths() {
    // where/map-and-list-paths
    let mut s = ExpressionState::new();
    let c = Condition::raw(
        "{0} OR {1}",
        [
            Condition::eq(p("veterinarian").attr("name", "name"), "Herb Peterson").into(),
            Condition::eq(p("offspring").index(0).attr("name", "name"), "Blitzen").into(),
        ],
    );
    assert_eq!(
        render_condition(&c, &mut s).unwrap(),
        "#veterinarian.#name = :name0 OR #offspring[0].#name = :name1"
    );
    assert_eq!(keys(s.names()), ["#veterinarian", "#name", "#offspring"]);
    assert_eq!(keys(s.values()), [":name0", ":name1"]);
}

#[test]
fn where_same_name_different_paths() {
    // where/nested-same-name-different-paths
    let mut s = ExpressionState::new();
    let c = Condition::raw(
        "{0} OR {1} OR {2}",
        [
            Condition::eq(p("name"), "Jumbo").into(),
            Condition::eq(p("veterinarian").attr("name", "name"), "Dr. Jumbo").into(),
            Condition::eq(p("offspring").index(1).attr("name", "name"), "Jumbo Jr").into(),
        ],
    );
    assert_eq!(
        render_condition(&c, &mut s).unwrap(),
        "#name = :name0 OR #veterinarian.#name = :name1 OR #offspring[1].#name = :name2"
    );
    assert_eq!(keys(s.names()), ["#name", "#veterinarian", "#offspring"]);
}

#[test]
fn where_list_element_scalar_is_named_p() {
    // where/nested-list-element-scalar: list items are the attribute "*".
    let mut s = ExpressionState::new();
    let c = Condition::eq(p("diet").index(0), "hay");
    assert_eq!(render_condition(&c, &mut s).unwrap(), "#diet[0] = :p0");
    assert_eq!(keys(s.names()), ["#diet"]);
}

#[test]
fn where_compare_two_attributes_registers_the_nested_name_first() {
    // where/compare-two-attributes-by-name
    let mut s = ExpressionState::new();
    let c = Condition::ne(p("lastEvaluation"), Operand::Name(p("lastFed")));
    assert_eq!(
        render_condition(&c, &mut s).unwrap(),
        "#lastEvaluation <> #lastFed"
    );
    assert_eq!(keys(s.names()), ["#lastFed", "#lastEvaluation"]);
    assert!(s.values().is_empty());
}

#[test]
fn where_templates_from_the_corpus() {
    let cases: Vec<(Condition, &str, Vec<&str>)> = vec![
        (
            Condition::raw(
                "({0} OR {1}) AND {2}",
                [
                    Condition::eq(p("habitat"), "jungle").into(),
                    Condition::eq(p("habitat"), "savanna").into(),
                    Condition::gt(p("birthday"), 2010).into(),
                ],
            ),
            "(#habitat = :habitat0 OR #habitat = :habitat1) AND #birthday > :birthday0",
            vec![":habitat0", ":habitat1", ":birthday0"],
        ),
        (
            Condition::raw("NOT ({0})", [Condition::eq(p("dangerous"), true).into()]),
            "NOT (#dangerous = :dangerous0)",
            vec![":dangerous0"],
        ),
        (
            Condition::raw("{0} > 3", [Operand::Size(p("diet")).into()]),
            "size(#diet) > 3",
            vec![],
        ),
        (
            Condition::raw(
                "{0} >= {1}",
                [
                    Operand::Size(p("diet")).into(),
                    Operand::Escape(3.into()).into(),
                ],
            ),
            "size(#diet) >= :30",
            vec![":30"],
        ),
        (
            Condition::raw(
                "{0} = {1}",
                [
                    Operand::Name(p("keeper")).into(),
                    Operand::Escape("Joe Exotic".into()).into(),
                ],
            ),
            "#keeper = :JoeExotic0",
            vec![":JoeExotic0"],
        ),
        (
            Condition::raw(
                "{0} = {1}",
                [
                    Operand::Name(p("keeper")).into(),
                    Operand::ValueOf(p("keeper"), "Horton".into()).into(),
                ],
            ),
            "#keeper = :keeper0",
            vec![":keeper0"],
        ),
        (
            Condition::eq(
                p("keeper"),
                Operand::ValueOf(p("keeper"), "Zookeeper Zed".into()),
            ),
            "#keeper = :keeper0",
            vec![":keeper0"],
        ),
        (
            Condition::eq_or_not_exists(p("dangerous"), false),
            "(#dangerous = :dangerous0 OR attribute_not_exists(#dangerous))",
            vec![":dangerous0"],
        ),
        (
            Condition::and([
                Condition::gte(p("birthday"), 2000),
                Condition::lte(p("birthday"), 2005),
                Condition::ne(p("birthday"), 2003),
            ]),
            "#birthday >= :birthday0 AND #birthday <= :birthday1 AND #birthday <> :birthday2",
            vec![":birthday0", ":birthday1", ":birthday2"],
        ),
        (
            Condition::and([
                Condition::contains(p("tenant"), "x"),
                Condition::not_contains(p("leaseHolders"), "y"),
            ]),
            "contains(#tenant, :tenant0) AND not contains(#leaseHolders, :leaseHolders0)",
            vec![":tenant0", ":leaseHolders0"],
        ),
        (
            Condition::and([
                Condition::begins(p("offspring").index(2).attr("birthday", "birthday"), "2020"),
                Condition::exists(p("offspring").index(0).attr("note", "note")),
            ]),
            "begins_with(#offspring[2].#birthday, :birthday0) AND attribute_exists(#offspring[0].#note)",
            vec![":birthday0"],
        ),
        (
            Condition::attribute_type(p("veterinarian"), "M"),
            "attribute_type(#veterinarian, :veterinarian0)",
            vec![":veterinarian0"],
        ),
        (
            Condition::raw(
                "{0} AND {1} < 2",
                [
                    Condition::eq(p("category"), "misc").into(),
                    Operand::Size(p("tags")).into(),
                ],
            ),
            "#category = :category0 AND size(#tags) < 2",
            vec![":category0"],
        ),
    ];
    for (c, want, values) in cases {
        let mut s = ExpressionState::new();
        assert_eq!(render_condition(&c, &mut s).unwrap(), want);
        assert_eq!(keys(s.values()), values, "{want}");
    }
}

#[test]
fn where_attribute_field_mapping() {
    // where/attribute-field-mapping
    let mut s = ExpressionState::new();
    let c = Condition::and([
        Condition::eq(Path::new("status", "st"), "x"),
        Condition::gt(Path::new("weightKg", "wkg"), 1),
        Condition::eq(Path::new("destination", "dest").attr("zip", "z"), "1"),
    ]);
    assert_eq!(
        render_condition(&c, &mut s).unwrap(),
        "#status = :status0 AND #weightKg > :weightKg0 AND #destination.#zip = :zip0"
    );
    assert_eq!(s.names()["#status"], "st");
    assert_eq!(s.names()["#zip"], "z");
}

#[test]
fn collection_identifier_filter() {
    // collection/contributions: identifiers with the "_c" prefix.
    let mut f = FilterExpression::with_state(ExpressionState::with_prefix("_c"));
    let mut parts = Vec::new();
    for (alias, name) in [("employees", "employees"), ("tasks", "tasks")] {
        let st = f.state_mut();
        let e = st.set_name(None, "__edb_e__", "__edb_e__");
        let ev = st.set_value(&format!("__edb_e___{alias}"), name.into());
        let v = st.set_name(None, "__edb_v__", "__edb_v__");
        let vv = st.set_value(&format!("__edb_v___{alias}"), "1".into());
        parts.push(format!(
            "({} = {} AND {} = {})",
            e.expression, ev, v.expression, vv
        ));
    }
    f.add(&format!("({})", parts.join(" OR ")), false);
    f.add_condition(&Condition::eq(p("name"), "Sprinkles"), false)
        .unwrap();
    // The where clause shares the "_c" state here only to show the text rule; the
    // entity layer keeps them apart.
    assert_eq!(
        f.build(),
        "((#__edb_e__ = :__edb_e___employees_c0 AND #__edb_v__ = :__edb_v___employees_c0) OR (#__edb_e__ = :__edb_e___tasks_c0 AND #__edb_v__ = :__edb_v___tasks_c0)) AND #name = :name_c0"
    );
}

#[test]
fn update_all_methods_combined() {
    let mut u = UpdateExpression::new();
    u.apply(&UpdateAction::set(
        p("category"),
        AttrKind::String,
        "food/coffee",
    ))
    .unwrap();
    u.apply(&UpdateAction::remove(p("discount"), AttrKind::Number))
        .unwrap();
    u.apply(&UpdateAction::add(p("deposit"), AttrKind::Number, 10))
        .unwrap();
    u.apply(&UpdateAction::add(
        p("tags"),
        AttrKind::Set,
        Value::StringSet(vec!["vegan".into()]),
    ))
    .unwrap();
    u.apply(&UpdateAction::subtract(p("totalFees"), AttrKind::Number, 2))
        .unwrap();
    u.apply(&UpdateAction::append(
        p("rentalAgreement"),
        AttrKind::List,
        Value::List(vec![]),
    ))
    .unwrap();
    u.apply(&UpdateAction::delete(
        p("contact"),
        AttrKind::Set,
        Value::StringSet(vec!["old@example.com".into()]),
    ))
    .unwrap();
    finish_mallstore(&mut u);
    assert_eq!(
        u.build(),
        format!(
            "SET #category = :category_u0, #totalFees = (if_not_exists(#totalFees, :totalFees_default_value_u0) - :totalFees_u0), #rentalAgreement = list_append(if_not_exists(#rentalAgreement, :rentalAgreement_default_value_u0), :rentalAgreement_u0), {MALLSTORE_TAIL} REMOVE #discount ADD #deposit :deposit_u0, #tags :tags_u0 DELETE #contact :contact_u0"
        )
    );
    assert_eq!(
        keys(u.names()),
        [
            "#category",
            "#discount",
            "#deposit",
            "#tags",
            "#totalFees",
            "#rentalAgreement",
            "#contact",
            "#cityId",
            "#mallId",
            "#buildingId",
            "#storeId",
            "#__edb_e__",
            "#__edb_v__"
        ]
    );
    assert_eq!(
        &keys(u.values())[..8],
        [
            ":category_u0",
            ":deposit_u0",
            ":tags_u0",
            ":totalFees_u0",
            ":totalFees_default_value_u0",
            ":rentalAgreement_u0",
            ":rentalAgreement_default_value_u0",
            ":contact_u0"
        ]
    );
    assert_eq!(u.values()[":totalFees_default_value_u0"], Value::from(0));
    assert_eq!(
        u.values()[":rentalAgreement_default_value_u0"],
        Value::List(vec![])
    );
    assert_eq!(u.state().impacted()["discount"], "remove");
    assert_eq!(u.state().path_value("deposit").unwrap().0, ":deposit_u0");
}

#[test]
fn update_defaults_and_references() {
    let cases: Vec<(UpdateAction, &str, Vec<&str>, Vec<&str>)> = vec![
        (
            // update/data-add-with-default
            UpdateAction::add(p("totalFees"), AttrKind::Number, 40).with_default(100),
            "SET #totalFees = (if_not_exists(#totalFees, :totalFees_u1) + :totalFees_u0)",
            vec!["#totalFees"],
            vec![":totalFees_u0", ":totalFees_u1"],
        ),
        (
            // update/data-subtract-with-default
            UpdateAction::subtract(p("deposit"), AttrKind::Number, 50).with_default(1000),
            "SET #deposit = (if_not_exists(#deposit, :deposit_u1) - :deposit_u0)",
            vec!["#deposit"],
            vec![":deposit_u0", ":deposit_u1"],
        ),
        (
            // update/data-set-from-name-reference
            UpdateAction::set(p("totalFees"), AttrKind::Number, Operand::Name(p("petFee"))),
            "SET #totalFees = #petFee",
            vec!["#petFee", "#totalFees"],
            vec![],
        ),
        (
            // update/data-add-value-reference
            UpdateAction::add(
                p("deposit"),
                AttrKind::Number,
                Operand::ValueOf(p("deposit"), 500.into()),
            ),
            "SET #deposit = #deposit + :deposit_u0",
            vec!["#deposit"],
            vec![":deposit_u0"],
        ),
        (
            // update/data-subtract-name-reference
            UpdateAction::subtract(p("totalFees"), AttrKind::Number, Operand::Name(p("petFee"))),
            "SET #totalFees = (if_not_exists(#totalFees, :totalFees_default_value_u0) - #petFee)",
            vec!["#petFee", "#totalFees"],
            vec![":totalFees_default_value_u0"],
        ),
        (
            // update/set-list-of-numbers-item
            UpdateAction::set(p("scores").index(2), AttrKind::Number, 77),
            "SET #scores[2] = :p_u0",
            vec!["#scores"],
            vec![":p_u0"],
        ),
        (
            // update/data-set-deep-path-in-any
            UpdateAction::set(
                p("anything")
                    .attr("deep", "deep")
                    .attr("path", "path")
                    .with_target("anything"),
                AttrKind::Any,
                "v",
            ),
            "SET #anything.#deep.#path = :anything_u0",
            vec!["#anything", "#deep", "#path"],
            vec![":anything_u0"],
        ),
        (
            // update/if-not-exists
            UpdateAction::if_not_exists(p("deposit"), AttrKind::Number, 5),
            "SET #deposit = if_not_exists(#deposit, :deposit_u0)",
            vec!["#deposit"],
            vec![":deposit_u0"],
        ),
        (
            // update/add-number-to-any-and-append-empty-list
            UpdateAction::add(p("anything"), AttrKind::Any, 5),
            "ADD #anything :anything_u0",
            vec!["#anything"],
            vec![":anything_u0"],
        ),
    ];
    for (action, want, names, values) in cases {
        let mut u = UpdateExpression::new();
        u.apply(&action).unwrap();
        assert_eq!(u.build(), want);
        assert_eq!(keys(u.names()), names, "{want}");
        assert_eq!(keys(u.values()), values, "{want}");
    }
}

#[test]
fn update_nested_map_and_list() {
    // update/data-nested-map-and-list and update/remove-nested-paths
    let mut u = UpdateExpression::new();
    let map = || p("mapAttribute");
    let list = || p("rentalAgreement");
    u.apply(&UpdateAction::set(
        map().attr("mapProperty", "mapProperty"),
        AttrKind::String,
        "east wing",
    ))
    .unwrap();
    u.apply(&UpdateAction::set(
        list().index(0).attr("detail", "detail"),
        AttrKind::String,
        "Signed",
    ))
    .unwrap();
    u.apply(&UpdateAction::remove(
        list().index(1).attr("type", "type"),
        AttrKind::String,
    ))
    .unwrap();
    u.apply(&UpdateAction::add(
        map().attr("count", "count"),
        AttrKind::Number,
        1,
    ))
    .unwrap();
    u.apply(&UpdateAction::remove(list().index(2), AttrKind::Map))
        .unwrap();
    finish_mallstore(&mut u);
    assert_eq!(
        u.build(),
        format!(
            "SET #mapAttribute.#mapProperty = :mapProperty_u0, #rentalAgreement[0].#detail = :detail_u0, {MALLSTORE_TAIL} REMOVE #rentalAgreement[1].#type, #rentalAgreement[2] ADD #mapAttribute.#count :count_u0"
        )
    );
    assert_eq!(
        &keys(u.names())[..6],
        [
            "#mapAttribute",
            "#mapProperty",
            "#rentalAgreement",
            "#detail",
            "#type",
            "#count"
        ]
    );
    assert_eq!(u.state().impacted()["rentalAgreement[1].type"], "remove");
    assert_eq!(u.state().impacted()["mapAttribute.count"], "add");
}

#[test]
fn update_same_attribute_twice_keeps_both() {
    // update/set-same-attribute-twice
    let mut u = UpdateExpression::new();
    u.apply(&UpdateAction::set(p("rent"), AttrKind::String, "1"))
        .unwrap();
    u.apply(&UpdateAction::set(p("rent"), AttrKind::String, "2"))
        .unwrap();
    assert_eq!(u.build(), "SET #rent = :rent_u0, #rent = :rent_u1");
}

#[test]
fn upsert_if_not_exists_through_set() {
    // upsert/basic: `#updatedAt = if_not_exists(#updatedAt, :updatedAt_u0)`
    let mut u = UpdateExpression::new();
    u.set("__edb_e__", "tasks".into(), false);
    u.set("updatedAt", 1.into(), true);
    u.set("gsi1pk", "$x".into(), false);
    assert_eq!(
        u.build(),
        "SET #__edb_e__ = :__edb_e___u0, #updatedAt = if_not_exists(#updatedAt, :updatedAt_u0), #gsi1pk = :gsi1pk_u0"
    );
}

#[test]
fn sanitised_and_colliding_names() {
    let mut u = UpdateExpression::new();
    u.set("first-name", "a".into(), false);
    u.set("first name", "b".into(), false);
    u.set("first.name", "c".into(), false);
    u.set("firstname", "d".into(), false);
    u.set("123", "e".into(), false);
    u.set("1-2-3", "f".into(), false);
    u.set("$$", "g".into(), false);
    assert_eq!(
        u.build(),
        "SET #firstname = :firstname_u0, #firstname_2 = :firstname_2_u0, #firstname_3 = :firstname_3_u0, \
         #firstname_4 = :firstname_4_u0, #123 = :123_u0, #p123 = :p123_u0, #p = :p_u0"
    );
    assert_eq!(u.names()["#firstname_2"], "first name");
    assert_eq!(u.names()["#p123"], "1-2-3");

    let mut s = ExpressionState::new();
    let c = Condition::and([
        Condition::eq(Path::new("dash-attr", "dash-field"), 1),
        Condition::eq(p("dash.attr").attr("in ner", "in ner"), 2),
    ]);
    assert_eq!(
        render_condition(&c, &mut s).unwrap(),
        "#dashattr = :dashattr0 AND #dashattr_2.#inner = :inner0"
    );
    assert_eq!(s.names()["#dashattr"], "dash-field");
    assert_eq!(s.names()["#dashattr_2"], "dash.attr");
}

#[test]
fn key_conditions_via_unsafe_set() {
    // remove/basic-adds-exists-condition, create/adds-not-exists-condition
    let mut f = FilterExpression::new();
    f.unsafe_set(FilterOp::NotExists, "pk", [], false).unwrap();
    f.unsafe_set(FilterOp::NotExists, "sk", [], false).unwrap();
    f.add_condition(&Condition::ne(p("status"), "closed"), false)
        .unwrap();
    assert_eq!(
        f.build(),
        "attribute_not_exists(#pk) AND attribute_not_exists(#sk) AND #status <> :status0"
    );
    assert_eq!(keys(f.names()), ["#pk", "#sk", "#status"]);
}

#[test]
fn update_template_errors_carry_electrodb_messages() {
    let mut u = UpdateExpression::new();
    let err = u
        .apply(&UpdateAction::append(p("name"), AttrKind::String, "x"))
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "Invalid Update Attribute Operation: \"APPEND\" Operation can only be performed on attributes with type \"list\" or \"any\"."
    );
    let err = u
        .apply(&UpdateAction::delete(p("name"), AttrKind::Number, 1))
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("Invalid Update Attribute Operation: \"DELETE\""));
}

#[test]
fn unused_update_placeholders_are_not_registered() {
    // ElectroDB registers an `add` default it never writes (for `any`/`set`, or with a
    // nested operand); the text is the same here, without the stray value.
    let mut u = UpdateExpression::new();
    u.apply(&UpdateAction::add(p("anything"), AttrKind::Any, 5).with_default(1))
        .unwrap();
    u.apply(&UpdateAction::add(p("n"), AttrKind::Number, Operand::Name(p("m"))).with_default(1))
        .unwrap();
    assert_eq!(u.build(), "SET #n = #n + #m ADD #anything :anything_u0");
    assert_eq!(keys(u.values()), [":anything_u0"]);
    // A `name(...)` default for subtract would leave `#m` unused; it is refused.
    let err = u
        .apply(
            &UpdateAction::subtract(p("n"), AttrKind::Number, 1)
                .with_default(Operand::Name(p("m"))),
        )
        .unwrap_err();
    assert!(err.to_string().contains("subtract"));
}
