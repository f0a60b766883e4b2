//! Elder mode (长辈模式): large type, high contrast, big targets. A switch of CSS custom properties
//! on `<html class="elder">`, remembered on the phone, switchable from every screen.

use leptos::prelude::*;

const STORAGE_KEY: &str = "yousu.elder_mode";

#[derive(Clone, Copy)]
pub struct ElderMode(RwSignal<bool>);

impl ElderMode {
    pub fn on(&self) -> bool {
        self.0.get()
    }

    pub fn toggle(&self) {
        self.0.update(|on| *on = !*on);
    }
}

pub fn provide_elder_mode() {
    let on = RwSignal::new(crate::store::load::<bool>(STORAGE_KEY).unwrap_or(false));
    Effect::new(move |_| {
        let elder = on.get();
        crate::store::save(STORAGE_KEY, &elder);
        if let Some(html) = document().document_element() {
            let _ = html.class_list().toggle_with_force("elder", elder);
        }
    });
    provide_context(ElderMode(on));
}

pub fn use_elder_mode() -> ElderMode {
    expect_context::<ElderMode>()
}
