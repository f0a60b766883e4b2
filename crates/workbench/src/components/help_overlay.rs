//! The keyboard shortcuts, listed in a dialog that `?` opens and Escape closes.

use leptos::html;
use leptos::prelude::*;

use crate::i18n::{tr, use_i18n};

#[component]
pub fn HelpOverlay(open: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let close_button = NodeRef::<html::Button>::new();
    Effect::new(move |_| {
        if open.get()
            && let Some(button) = close_button.get()
        {
            let _ = button.focus();
        }
    });
    let handle = window_event_listener(leptos::ev::keydown, move |event| {
        if event.key() == "Escape" && open.get_untracked() {
            open.set(false);
        }
    });
    on_cleanup(move || handle.remove());
    let rows = move || {
        let s = i18n.locale().strings();
        vec![
            ("j / ↓", s.key_next),
            ("k / ↑", s.key_previous),
            ("Enter", s.key_open),
            ("d", s.key_dispatch),
            ("m", s.key_merge),
            ("i", s.key_invalid),
            ("c", s.key_claim),
            ("r", s.key_refresh),
            ("?", s.key_help),
            ("Esc", s.key_close),
        ]
    };
    view! {
        <Show when=move || open.get()>
            <div class="help-backdrop" on:click=move |_| open.set(false)></div>
            <div class="help-overlay" role="dialog" aria-modal="true" aria-labelledby="help-title">
                <h2 id="help-title">{tr(|s| s.help_title)}</h2>
                <table class="help-keys">
                    <thead>
                        <tr>
                            <th scope="col">{tr(|s| s.help_key)}</th>
                            <th scope="col">{tr(|s| s.help_does)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || rows().into_iter().map(|(key, does)| view! {
                            <tr><td><kbd>{key}</kbd></td><td>{does}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
                <button type="button" node_ref=close_button on:click=move |_| open.set(false)>
                    {tr(|s| s.close)}
                </button>
            </div>
        </Show>
    }
}
