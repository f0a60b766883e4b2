//! `yousu-server import-catalog FILE`: a city's full catalogue loads, reloads with corrections,
//! and a file that names an unknown unit is refused with a message saying which item.

use std::process::Command;

use serde_json::{Value, json};

use crate::helpers::TempDir;

fn import(database: &str, file: &std::path::Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_yousu-server"))
        .args(["--database", database, "import-catalog"])
        .arg(file)
        .output()
        .expect("run yousu-server import-catalog")
}

/// A catalogue of `n` items over 20 categories and 50 units.
fn big_catalogue(n: usize) -> Value {
    let units: Vec<Value> = (0..50)
        .map(|u| json!({ "id": format!("unit-{u}"), "name_zh": format!("单位{u}"), "name_en": format!("Unit {u}"), "level": "city" }))
        .collect();
    let categories: Vec<Value> = (0..20)
        .map(|c| {
            let items: Vec<Value> = (0..n / 20)
                .map(|i| (i, ["urgent", "general", "complex", "difficult"][i % 4]))
                .map(|(i, tier)| json!({
                    "id": format!("item-{c}-{i}"),
                    "name_zh": format!("事项{c}-{i}"),
                    "name_en": format!("Item {c}-{i}"),
                    "unit_id": format!("unit-{}", (c * 7 + i) % 50),
                    "tier": tier,
                }))
                .collect();
            json!({ "id": format!("cat-{c}"), "name_zh": format!("类别{c}"), "name_en": format!("Category {c}"), "items": items })
        })
        .collect();
    json!({ "units": units, "categories": categories })
}

#[tokio::test]
async fn a_full_catalogue_imports_and_reimports_with_corrections() {
    let dir = TempDir::new("import");
    let database = format!("sqlite:{}", dir.0.join("yousu.db").display());
    let file = dir.0.join("catalogue.json");

    let mut catalogue = big_catalogue(2000);
    std::fs::write(&file, catalogue.to_string()).unwrap();
    let out = import(&database, &file);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).lines().next().unwrap(),
        format!("imported 50 units, 20 categories and 2000 dispatch items into {database}")
    );

    catalogue["categories"][0]["items"][0]["name_zh"] = json!("更正后的事项名称");
    std::fs::write(&file, catalogue.to_string()).unwrap();
    assert!(import(&database, &file).status.success());

    let broken = json!({ "categories": [{ "id": "cat-x", "name_zh": "类别", "name_en": "Category",
        "items": [{ "id": "item-x", "name_zh": "事项", "name_en": "Item", "unit_id": "no-such-unit", "tier": "general" }] }] });
    std::fs::write(&file, broken.to_string()).unwrap();
    let out = import(&database, &file);
    assert!(!out.status.success());
    let error = String::from_utf8_lossy(&out.stderr);
    assert!(
        error.contains("item-x") && error.contains("no-such-unit"),
        "{error}"
    );

    std::fs::write(&file, "{\"categories\": [{\"id\": 5}]}").unwrap();
    let out = import(&database, &file);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a valid catalogue file"));

    // The server serves what was imported, corrections included.
    let app = crate::helpers::TestApp::spawn_on(
        yousu_server::DatabaseUrl::Sqlite(dir.0.join("yousu.db")),
        dir.0.join("dist"),
        TempDir::new("import-app"),
    )
    .await;
    let catalog: Value = app.get("/api/v1/catalog").await.json().await.unwrap();
    let categories = catalog["categories"].as_array().unwrap();
    let items: usize = categories
        .iter()
        .map(|c| c["items"].as_array().unwrap().len())
        .sum();
    // Only the demo data differs: the import filled the database before --demo looked.
    assert_eq!(categories.len(), 20);
    assert_eq!(items, 2000);
    assert_eq!(categories[0]["items"][0]["name_zh"], "更正后的事项名称");
}
