//! `GET /api/v1/openapi.json`: an OpenAPI 3.1 document of every route, built from
//! one table that a test checks against the router.

use axum::Json;
use serde_json::{Value, json};

/// `(method, path, summary)` for every route the API serves.
pub const ROUTES: &[(&str, &str, &str)] = &[
    (
        "post",
        "/api/v1/container/image/build",
        "Start a background build of the agent image: {imageTag, noCache, buildArgs} (202; 409 with buildId while one runs)",
    ),
    (
        "get",
        "/api/v1/container/image/status",
        "Image status: ready|building|failed|missing|outdated, id, size, created, progress, output (?imageTag=)",
    ),
    (
        "get",
        "/api/v1/health",
        "Liveness, version, pid and uptime of the daemon",
    ),
    ("get", "/api/v1/openapi.json", "This document"),
    (
        "get",
        "/api/v1/network",
        "The agents' network: {egress: proxy-only|allowlist|open, network, allow}",
    ),
    (
        "post",
        "/api/v1/network/allow",
        "Add egress allowlist entries {hosts: [name | *.domain | IP | CIDR]}; returns the network view",
    ),
    (
        "post",
        "/api/v1/network/deny",
        "Remove egress allowlist entries {hosts: [...]} (404 when one is not listed)",
    ),
    (
        "get",
        "/api/v1/container/runtime",
        "Detected container runtime: {available, backend, version, networking, message}",
    ),
    (
        "get",
        "/api/v1/container/mount/allowlist",
        "The mount allowlist (roots, blocked patterns in force)",
    ),
    (
        "put",
        "/api/v1/container/mount/allowlist",
        "Replace the allowlist: {allowedRoots, blockedPatterns}",
    ),
    (
        "post",
        "/api/v1/container/mount/validate",
        "Validate a mount: {hostPath, containerPath, readOnly}",
    ),
    (
        "get",
        "/api/v1/channels",
        "Status of every configured chat channel",
    ),
    (
        "get",
        "/api/v1/channels/{name}",
        "One channel (telegram, slack, discord, whatsapp): {configured, running, connected, bot, lastError, messages}",
    ),
];

pub fn openapi_document() -> Value {
    let mut paths = serde_json::Map::new();
    for (method, path, summary) in ROUTES {
        let entry = paths.entry(path.to_string()).or_insert_with(|| json!({}));
        let mut op = json!({
            "summary": summary,
            "responses": {
                "200": {"description": "Success", "content": {"application/json": {}}},
                "default": {"description": "Error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
            }
        });
        if matches!(*method, "put" | "post" | "patch") {
            op["requestBody"] = json!({"required": true, "content": {"application/json": {}}});
        }
        entry[*method] = op;
    }
    json!({
        "openapi": "3.1.0",
        "info": {"title": "aigo management API", "version": env!("CARGO_PKG_VERSION")},
        "servers": [{"url": "http://127.0.0.1:55765"}],
        "paths": paths,
        "components": {"schemas": {"Error": {
            "type": "object",
            "required": ["error", "message"],
            "properties": {"error": {"type": "string"}, "message": {"type": "string"}}
        }}}
    })
}

pub async fn serve() -> Json<Value> {
    Json(openapi_document())
}
