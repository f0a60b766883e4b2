//! The resident app's entry point: it only mounts the app.

fn main() {
    // Panic messages in the console while developing; release builds leave the hook (and the
    // formatting it pulls in, about 1 KB brotli of issue 5's first-screen budget) out.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    yousu::boot();
}
