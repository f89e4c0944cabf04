//! The HTTP management API.
