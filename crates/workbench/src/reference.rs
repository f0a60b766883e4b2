//! The platform's reference data the screens name things with: the catalogue (categories and
//! dispatch items), the grid (districts, subdistricts, communities) and the units. Loaded once
//! after sign-in; a screen shows ids until it arrives.

use leptos::prelude::*;
use yousu_core::catalog::{Catalog, CatalogItem, Grid, Unit, Units};

use crate::api::Api;
use crate::i18n::Locale;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Reference {
    pub catalog: Catalog,
    pub grid: Grid,
    /// The units cases may be dispatched to (what pickers offer).
    pub units: Vec<Unit>,
    /// Retired units: only to name them on the cases and months they handled.
    pub retired_units: Vec<Unit>,
}

impl Reference {
    pub fn unit_name(&self, locale: Locale, unit_id: &str) -> String {
        self.units
            .iter()
            .chain(&self.retired_units)
            .find(|u| u.unit_id == unit_id)
            .map(|u| locale.pick(&u.name_zh, &u.name_en).to_owned())
            .unwrap_or_else(|| unit_id.to_owned())
    }

    pub fn category_name(&self, locale: Locale, category_id: &str) -> String {
        self.catalog
            .category(category_id)
            .map(|c| locale.pick(&c.name_zh, &c.name_en).to_owned())
            .unwrap_or_else(|| category_id.to_owned())
    }

    pub fn item(&self, item_id: &str) -> Option<&CatalogItem> {
        self.catalog
            .categories
            .iter()
            .flat_map(|c| c.items.iter())
            .find(|i| i.catalog_item_id == item_id)
    }

    pub fn item_name(&self, locale: Locale, item_id: &str) -> String {
        self.item(item_id)
            .map(|i| locale.pick(&i.name_zh, &i.name_en).to_owned())
            .unwrap_or_else(|| item_id.to_owned())
    }

    /// A community, subdistrict or district by its id.
    pub fn place_name(&self, locale: Locale, id: &str) -> String {
        for d in &self.grid.districts {
            if d.district_id == id {
                return locale.pick(&d.name_zh, &d.name_en).to_owned();
            }
            for s in &d.subdistricts {
                if s.subdistrict_id == id {
                    return locale.pick(&s.name_zh, &s.name_en).to_owned();
                }
                for c in &s.communities {
                    if c.community_id == id {
                        return format!(
                            "{} · {}",
                            locale.pick(&s.name_zh, &s.name_en),
                            locale.pick(&c.name_zh, &c.name_en)
                        );
                    }
                }
            }
        }
        id.to_owned()
    }

    /// Just the community's own name (for charts).
    pub fn community_name(&self, locale: Locale, id: &str) -> String {
        self.grid
            .community(id)
            .map(|c| locale.pick(&c.name_zh, &c.name_en).to_owned())
            .unwrap_or_else(|| self.place_name(locale, id))
    }
}

#[derive(Clone, Copy)]
pub struct ReferenceStore(pub RwSignal<Reference>);

pub fn provide_reference(api: Api) {
    let store = ReferenceStore(RwSignal::new(Reference::default()));
    provide_context(store);
    leptos::task::spawn_local(async move {
        let catalog = api.get::<Catalog>("/catalog").await;
        let grid = api.get::<Grid>("/grid").await;
        let units = api.get::<Units>("/units").await;
        store.0.update(|r| {
            if let Ok(catalog) = catalog {
                r.catalog = catalog;
            }
            if let Ok(grid) = grid {
                r.grid = grid;
            }
            if let Ok(units) = units {
                r.units = units.units;
                r.retired_units = units.retired;
            }
        });
    });
}

pub fn use_reference() -> RwSignal<Reference> {
    expect_context::<ReferenceStore>().0
}
