//! The HTTP management API (axum): routes call the same library functions as the
//! CLI and return the same serde types. One file per group, like `cli/`.

mod audit;
mod channels;
mod error;
mod groups;
mod guard;
mod health;
mod image;
mod ipc;
mod mount;
mod network;
mod openapi;
mod proxy;
mod runs;
mod runtime;
mod schedule;
mod serve;
mod webhook;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use error::{ApiError, ApiJson, ApiQuery};
pub use guard::Guard;
pub use openapi::{openapi_document, operations};
pub use serve::{BodyTimeout, ServeLimits, serve};
pub use webhook::{WHATSAPP_WEBHOOK_PATH, webhook_router};

use crate::ctx::Ctx;

/// Request bodies above this are refused with 413.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Every route with its OpenAPI description: `utoipa_axum::routes!` takes the
/// handlers' `#[utoipa::path]` annotations, so the router and the document are
/// built from the same list.
fn routes() -> OpenApiRouter<Arc<Ctx>> {
    use utoipa::OpenApi as _;
    OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .routes(routes!(health::health))
        .routes(routes!(openapi::serve))
        .routes(routes!(runtime::status))
        .routes(routes!(mount::get_allowlist, mount::set_allowlist))
        .routes(routes!(mount::validate))
        .routes(routes!(image::build))
        .routes(routes!(image::status))
        .routes(routes!(image::history))
        .routes(routes!(ipc::directories))
        .routes(routes!(audit::query))
        .routes(routes!(audit::verify))
        .routes(routes!(audit::export))
        .routes(routes!(runs::history, runs::start))
        .routes(routes!(runs::stop))
        .routes(routes!(runs::ps))
        .routes(routes!(runs::send))
        .routes(routes!(runs::close))
        .routes(routes!(groups::list, groups::add))
        .routes(routes!(groups::show, groups::update, groups::remove))
        .routes(routes!(groups::forget))
        .routes(routes!(groups::namespaces, groups::add_namespace))
        .routes(routes!(proxy::status))
        .routes(routes!(proxy::list_mappings, proxy::add_mapping))
        .routes(routes!(proxy::remove_mapping))
        .routes(routes!(proxy::rotate_mapping))
        .routes(routes!(schedule::list, schedule::create))
        .routes(routes!(schedule::check))
        .routes(routes!(schedule::get, schedule::update, schedule::delete))
        .routes(routes!(schedule::logs))
        .routes(routes!(schedule::run))
        .routes(routes!(channels::list, channels::add))
        .routes(routes!(channels::get, channels::remove))
        .routes(routes!(channels::validate))
        .routes(routes!(network::view))
        .routes(routes!(network::allow))
        .routes(routes!(network::deny))
}

/// The full router, guarded. `ctx` is shared with the daemon's components.
pub fn router(ctx: Arc<Ctx>, guard: Guard) -> Router {
    let (routes, _) = routes().split_for_parts();
    routes
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn_with_state(
            Arc::new(guard),
            guard::check,
        ))
        .with_state(ctx)
}

async fn not_found(uri: axum::http::Uri) -> ApiError {
    ApiError::not_found(format!(
        "no route for {}; see /api/v1/openapi.json",
        uri.path()
    ))
}

pub(crate) async fn method_not_allowed(
    method: axum::http::Method,
    uri: axum::http::Uri,
) -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        format!(
            "{method} is not allowed on {}; see /api/v1/openapi.json",
            uri.path()
        ),
    )
}
