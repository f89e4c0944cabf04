//! The JSON the `container` CLI prints, as Apple's Swift types encode it
//! (`ContainerSnapshot`, `ImageDetail`, `NetworkState`), read leniently: only the fields
//! aigo uses, every one optional.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::runtime::{BindSpec, ContainerInfo, ContainerSummary, ImageInfo, NetworkInfo};

/// `container list --format json` (an array) and `container inspect` (an array).
#[derive(Debug, Deserialize)]
pub(super) struct Snapshot {
    #[serde(default)]
    status: String,
    configuration: Configuration,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Configuration {
    id: String,
    #[serde(default)]
    image: ImageRef,
    #[serde(default)]
    mounts: Vec<Filesystem>,
    #[serde(default)]
    labels: BTreeMap<String, String>,
    #[serde(default)]
    init_process: Process,
}

#[derive(Debug, Default, Deserialize)]
struct ImageRef {
    #[serde(default)]
    reference: String,
}

/// `{"type": {"virtiofs": {}}, "source", "destination", "options": ["ro"]}`.
#[derive(Debug, Deserialize)]
struct Filesystem {
    #[serde(rename = "type", default)]
    kind: serde_json::Value,
    #[serde(default)]
    source: String,
    #[serde(default)]
    destination: String,
    #[serde(default)]
    options: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Process {
    #[serde(default)]
    environment: Vec<String>,
    #[serde(default)]
    user: serde_json::Value,
}

impl Snapshot {
    pub(super) fn labels(&self) -> &BTreeMap<String, String> {
        &self.configuration.labels
    }

    pub(super) fn summary(self) -> ContainerSummary {
        let c = self.configuration;
        ContainerSummary {
            name: c.id.clone(),
            id: c.id,
            image: c.image.reference,
            labels: c.labels,
            status: self.status.clone(),
            state: self.status,
            // `container list` reports no addresses we could match callers against.
            addresses: Vec::new(),
        }
    }

    pub(super) fn info(self) -> ContainerInfo {
        let c = self.configuration;
        let binds = c
            .mounts
            .into_iter()
            // Host directories are virtiofs shares; tmpfs and block volumes are not binds.
            .filter(|m| m.kind.get("virtiofs").is_some())
            .map(|m| BindSpec {
                host: m.source.into(),
                container: m.destination,
                read_only: m.options.iter().any(|o| o == "ro"),
            })
            .collect();
        // `{"raw": {"userString": "1000:1000"}}` or `{"id": {"uid": 1000, "gid": 1000}}`.
        let u = &c.init_process.user;
        let user = u
            .pointer("/raw/userString")
            .and_then(|s| s.as_str())
            .map(str::to_string)
            .or_else(|| {
                let id = u.get("id")?;
                Some(format!("{}:{}", id.get("uid")?, id.get("gid")?))
            });
        ContainerInfo {
            name: c.id.clone(),
            id: c.id,
            image: c.image.reference,
            running: self.status == "running",
            // The CLI reports no exit code; `start --attach` does (see containers.rs).
            exit_code: None,
            pid: None,
            env: c.init_process.environment,
            labels: c.labels,
            binds,
            privileged: false,
            cap_add: Vec::new(),
            user,
            read_only_rootfs: false,
        }
    }
}

/// `container image inspect` (an array of `ImageDetail`).
#[derive(Debug, Deserialize)]
pub(super) struct ImageDetail {
    #[serde(default)]
    index: Descriptor,
    #[serde(default)]
    variants: Vec<Variant>,
}

#[derive(Debug, Default, Deserialize)]
struct Descriptor {
    #[serde(default)]
    digest: String,
}

#[derive(Debug, Deserialize)]
struct Variant {
    /// The OCI image config: `{"created", "config": {"Labels": {…}}}`.
    #[serde(default)]
    config: serde_json::Value,
    #[serde(default)]
    size: Option<i64>,
}

impl ImageDetail {
    pub(super) fn info(self) -> ImageInfo {
        let v = self.variants.into_iter().next();
        let labels = v
            .as_ref()
            .and_then(|v| v.config.pointer("/config/Labels"))
            .and_then(|l| serde_json::from_value(l.clone()).ok())
            .unwrap_or_default();
        ImageInfo {
            id: self.index.digest,
            size: v.as_ref().and_then(|v| v.size),
            created: v
                .as_ref()
                .and_then(|v| v.config.get("created"))
                .and_then(|c| c.as_str())
                .map(str::to_string),
            labels,
        }
    }
}

/// `container network inspect` (an array of `NetworkState`:
/// `{"id", "state", "config": {"labels"}, "status": {"address", "gateway"}}`).
#[derive(Debug, Deserialize)]
pub(super) struct Network {
    id: String,
    #[serde(default)]
    config: serde_json::Value,
    #[serde(default)]
    status: serde_json::Value,
}

impl Network {
    pub(super) fn info(self) -> NetworkInfo {
        let s = |k: &str| {
            self.status
                .get(k)
                .and_then(|v| v.as_str())
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        NetworkInfo {
            name: self.id.clone(),
            subnet: s("address"),
            gateway: s("gateway"),
            id: self.id,
            // Apple's networks are NAT'd; the reference has no internal mode.
            internal: false,
            labels: self
                .config
                .get("labels")
                .and_then(|l| serde_json::from_value(l.clone()).ok())
                .unwrap_or_default(),
            // A VM network: no host bridge a host firewall could match.
            bridge: None,
        }
    }
}
