//! Business logic between the handlers and the store: one function per thing the platform does.

pub mod cases;
