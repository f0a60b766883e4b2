//! The workbench's entry point: it only mounts the app.

fn main() {
    console_error_panic_hook::set_once();
    yousu_workbench::boot();
}
