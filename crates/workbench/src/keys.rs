//! Keyboard shortcuts for the busy queues: j/k move, Enter opens, a letter acts on the open case;
//! `?` shows them all. Keys typed into a field are the field's, never a shortcut.

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// What a key press means in a queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueueKey {
    Next,
    Previous,
    Open,
    Action(char),
}

/// The meaning of a key, unless the key was typed into a field or held with a modifier.
pub fn queue_key(key: &str, in_field: bool, modified: bool) -> Option<QueueKey> {
    if in_field || modified {
        return None;
    }
    match key {
        "j" | "ArrowDown" => Some(QueueKey::Next),
        "k" | "ArrowUp" => Some(QueueKey::Previous),
        "Enter" => Some(QueueKey::Open),
        k if k.chars().count() == 1 => k
            .chars()
            .next()
            .filter(char::is_ascii_lowercase)
            .map(QueueKey::Action),
        _ => None,
    }
}

/// The selection after a move in a list of `len`, staying inside it.
pub fn moved(selected: usize, len: usize, key: QueueKey) -> usize {
    match key {
        QueueKey::Next if len > 0 => (selected + 1).min(len - 1),
        QueueKey::Previous => selected.saturating_sub(1),
        _ => selected,
    }
}

fn target_tag(event: &web_sys::KeyboardEvent) -> Option<(String, bool)> {
    let target = event.target()?.dyn_into::<web_sys::Element>().ok()?;
    Some((
        target.tag_name().to_ascii_lowercase(),
        target.has_attribute("contenteditable"),
    ))
}

/// Whether the event was typed into a text field or a choice: its keys are the field's.
pub fn typed_in_field(event: &web_sys::KeyboardEvent) -> bool {
    target_tag(event).is_some_and(|(tag, editable)| {
        editable || matches!(tag.as_str(), "input" | "textarea" | "select")
    })
}

/// Whether the event's Enter belongs to a focused button or link.
fn on_control(event: &web_sys::KeyboardEvent) -> bool {
    target_tag(event).is_some_and(|(tag, _)| matches!(tag.as_str(), "button" | "a"))
}

/// Listens for queue keys while the calling component lives. `len` is the queue's length,
/// `selected` its selection; `on_key` hears opens and actions.
pub fn use_queue_keys(
    len: impl Fn() -> usize + 'static,
    selected: RwSignal<usize>,
    on_key: impl Fn(QueueKey) + 'static,
) {
    let handle = window_event_listener(ev::keydown, move |event| {
        let modified = event.ctrl_key() || event.meta_key() || event.alt_key();
        let Some(key) = queue_key(&event.key(), typed_in_field(&event), modified) else {
            return;
        };
        if key == QueueKey::Open && on_control(&event) {
            return;
        }
        // A dialog (the help overlay) takes the keys while open.
        if document()
            .query_selector("[role=dialog][aria-modal=true]")
            .ok()
            .flatten()
            .is_some()
        {
            return;
        }
        match key {
            QueueKey::Next | QueueKey::Previous => {
                event.prevent_default();
                let len = len();
                selected.update(|s| *s = moved(*s, len, key));
            }
            other => {
                if other == QueueKey::Open {
                    event.prevent_default();
                }
                on_key(other);
            }
        }
    });
    on_cleanup(move || handle.remove());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_move_open_and_act_but_not_inside_fields() {
        assert_eq!(queue_key("j", false, false), Some(QueueKey::Next));
        assert_eq!(queue_key("k", false, false), Some(QueueKey::Previous));
        assert_eq!(queue_key("Enter", false, false), Some(QueueKey::Open));
        assert_eq!(queue_key("d", false, false), Some(QueueKey::Action('d')));
        assert_eq!(
            queue_key("d", true, false),
            None,
            "typing a d into a reason"
        );
        assert_eq!(queue_key("r", false, true), None, "ctrl-r reloads the page");
        assert_eq!(queue_key("Shift", false, false), None);
    }

    #[test]
    fn moves_stay_inside_the_queue() {
        assert_eq!(moved(0, 3, QueueKey::Previous), 0);
        assert_eq!(moved(2, 3, QueueKey::Next), 2);
        assert_eq!(moved(1, 3, QueueKey::Next), 2);
        assert_eq!(moved(0, 0, QueueKey::Next), 0);
    }
}
