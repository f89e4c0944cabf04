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
        let error = || -> RefOr<Response> {
            utoipa::openapi::ResponseBuilder::new()
                .description("Error: {error, message}")
                .content(
                    "application/json",
                    utoipa::openapi::ContentBuilder::new()
                        .schema(Some(utoipa::openapi::Ref::from_schema_name("ErrorBody")))
                        .build(),
                )
                .build()
                .into()
        };
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
