//! Up to nine photos for an appeal: picked from the camera or the album, downscaled on the phone
//! (longest side 1600 px, JPEG) and kept there until the appeal is sent; each shown as a
//! thumbnail with its own remove button.

use leptos::prelude::*;
use leptos::task::spawn_local;
use yousu_core::FieldError;
use yousu_core::photo::MAX_PHOTOS;

use crate::components::field_error::FieldErrorText;
use crate::i18n::{tr, use_i18n};
use crate::native;
use crate::pages::submit::use_submit_state;
use crate::store::draft::DraftPhoto;

#[component]
pub fn PhotoPicker(errors: Signal<Vec<FieldError>>) -> impl IntoView {
    let i18n = use_i18n();
    let form = use_submit_state().form;
    let busy = RwSignal::new(false);
    let unreadable = RwSignal::new(false);
    let count = move || form.with(|f| f.photos.len());

    let on_change = move |ev: leptos::ev::Event| {
        let Some(input) = ev.target() else { return };
        let room = MAX_PHOTOS.saturating_sub(count());
        busy.set(true);
        unreadable.set(false);
        spawn_local(async move {
            let (added, failed) = native::add_photos(&input, room).await;
            busy.set(false);
            unreadable.set(failed > 0);
            form.update(|f| {
                f.photos
                    .extend(added.into_iter().map(|(key, thumb)| DraftPhoto {
                        key,
                        thumb,
                        photo_id: None,
                    }))
            });
        });
    };
    let remove = move |key: String| {
        native::forget_photo(&key);
        form.update(|f| f.photos.retain(|p| p.key != key));
    };

    view! {
        <div class="field photo-picker">
            <span class="photo-picker-label" id="photos-label">{tr(|s| s.photos_label)}</span>
            <ul class="photo-list" aria-labelledby="photos-label">
                {move || {
                    form.with(|f| f.photos.clone())
                        .into_iter()
                        .enumerate()
                        .map(|(i, photo)| {
                            let n = i + 1;
                            let key = photo.key.clone();
                            view! {
                                <li class="photo-item">
                                    <img src=photo.thumb alt=move || i18n.locale().photo_name(n)
                                        width="96" height="96" />
                                    <button type="button" class="photo-remove"
                                        aria-label=move || i18n.locale().remove_photo(n)
                                        on:click=move |_| remove(key.clone())>
                                        "×"
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
            <Show when=move || { count() < MAX_PHOTOS }>
                <label class="button photo-add" for="photo_ids">{tr(|s| s.add_photos)}</label>
                <input
                    id="photo_ids"
                    class="photo-input"
                    type="file"
                    accept="image/*"
                    multiple
                    aria-describedby="photos-hint"
                    on:change=on_change
                />
            </Show>
            <p id="photos-hint" class="field-hint">
                {move || i18n.locale().photo_count(count())}" · "{tr(|s| s.photos_kept_hint)}
            </p>
            <div role="status" aria-live="polite">
                {move || busy.get().then(|| view! { <p class="field-hint">{tr(|s| s.photo_uploading)}</p> })}
                {move || unreadable.get().then(|| view! { <p class="field-error">{tr(|s| s.photo_unreadable)}</p> })}
            </div>
            <FieldErrorText errors field="photo_ids" />
        </div>
    }
}
