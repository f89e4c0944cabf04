//! `GET /api/v1/openapi.json`: the OpenAPI 3.1 document, generated from the
//! handlers' own annotations and the request and response types they use, so a
//! route cannot be served without being described (see `api::routes`).

use std::sync::OnceLock;

use axum::Json;
use serde::Serialize;
use utoipa::openapi::{OpenApi, RefOr, Response};
use utoipa::{Modify, ToSchema};

/// The body of every error: `{error, message}` plus route-specific fields
/// (e.g. `buildId` with a 409 from an image build).
#[derive(Serialize, ToSchema)]
#[allow(dead_code)]
pub struct ErrorBody {
    /// Stable machine-readable code: bad_request, not_found, conflict, forbidden, …
    error: String,
    /// What went wrong and how to fix it, in words.
    message: String,
}

#[derive(utoipa::OpenApi)]
#[openapi(
    info(title = "aigo management API", description = "Everything the aigo CLI can do, over HTTP on 127.0.0.1:55765."),
    servers((url = "http://127.0.0.1:55765")),
    components(schemas(ErrorBody)),
    modifiers(&ErrorResponses)
)]
pub struct ApiDoc;

/// Every operation may answer with the error body; 4xx and 5xx are listed so
/// clients and fuzzers know the shape.
struct ErrorResponses;

impl Modify for ErrorResponses {
    fn modify(&self, doc: &mut OpenApi) {
        let error = || error_response("Error: {error, message}");
        for item in doc.paths.paths.values_mut() {
            for op in [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.patch,
                &mut item.delete,
            ]
            .into_iter()
            .flatten()
            {
                for code in ["4XX", "5XX"] {
                    op.responses
                        .responses
                        .entry(code.to_string())
                        .or_insert_with(error);
                }
            }
        }
    }
}

/// The document, built once from the router's own annotations.
pub fn openapi_document() -> &'static OpenApi {
    static DOC: OnceLock<OpenApi> = OnceLock::new();
    DOC.get_or_init(|| {
        let (_, mut doc) = super::routes().split_for_parts();
        ErrorResponses.modify(&mut doc);
        doc
    })
}

/// An error status a handler itself returns (beyond the `4XX`/`5XX` every
/// operation lists), with the shared `{error, message}` body, for `responses(…)`.
macro_rules! error_status {
    ($($name:ident: $code:literal, $what:literal;)*) => {$(
        #[doc = $what]
        pub struct $name;
        impl utoipa::IntoResponses for $name {
            fn responses() -> std::collections::BTreeMap<String, RefOr<Response>> {
                [($code.to_string(), error_response($what))].into()
            }
        }
    )*};
}

error_status! {
    NotFound: "404", "Not found: no such id or name (`error: not_found`)";
    Conflict: "409", "Conflict with the current state: it already exists, a build is \
        running, the image is not built (`image_missing`), no container runs for the group \
        (`not_running`)";
    Unprocessable: "422", "Well-formed but refers to something that is not there: an unknown \
        group (`unknown_group`), a root that does not exist and is not pending (`root_missing`, \
        with `path`)";
    BadGateway: "502", "The engine or the chat service refused or failed (`engine_error`, \
        `bad_gateway`)";
    Unavailable: "503", "The container engine is down (`no_runtime`, `runtime_unavailable`) \
        or the credential proxy is not running (`no_proxy`)";
}

/// Why a run does not start: 403 (a mount refused), 409 (image not built),
/// 422 (unknown group), 503 (engine or proxy down).
pub struct RunRefusals;

impl utoipa::IntoResponses for RunRefusals {
    fn responses() -> std::collections::BTreeMap<String, RefOr<Response>> {
        let mut out = Conflict::responses();
        out.append(&mut Unprocessable::responses());
        out.append(&mut Unavailable::responses());
        out.insert(
            "403".into(),
            error_response("A mount was rejected or the run refused (`forbidden`; audited)"),
        );
        out
    }
}

fn error_response(description: &str) -> RefOr<Response> {
    utoipa::openapi::ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            utoipa::openapi::ContentBuilder::new()
                .schema(Some(utoipa::openapi::Ref::from_schema_name("ErrorBody")))
                .build(),
        )
        .build()
        .into()
}

/// `(method, path)` of every documented operation, for tests and the README table.
pub fn operations() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (path, item) in &openapi_document().paths.paths {
        for (method, op) in [
            ("get", &item.get),
            ("put", &item.put),
            ("post", &item.post),
            ("patch", &item.patch),
            ("delete", &item.delete),
        ] {
            if op.is_some() {
                out.push((method.to_string(), path.clone()));
            }
        }
    }
    out
}

#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    tag = "meta",
    summary = "This document",
    responses((status = 200, description = "OpenAPI 3.1 document", body = serde_json::Value))
)]
pub async fn serve() -> Json<&'static OpenApi> {
    Json(openapi_document())
}
