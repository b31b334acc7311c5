//! The stylesheet, the small enhancing script, the icons and the web app
//! manifest, compiled into the binary. Each is named in the pages with its
//! version (a hash of its bytes) in the address, so a browser may keep it
//! for a year and still gets the new one the moment it changes; every
//! answer also carries that hash as its ETag. Private pages stay
//! `no-store` (see `auth::security_headers`).

use axum::extract::Query;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::sync::OnceLock;

const CSS: &str = include_str!("../../assets/app.css");
const JS: &str = include_str!("../../assets/app.js");
const ICON: &str = include_str!("../../assets/icon.svg");
const ICON_192: &[u8] = include_bytes!("../../assets/icon-192.png");
const ICON_512: &[u8] = include_bytes!("../../assets/icon-512.png");
const SERVICE_WORKER: &str = include_str!("../../assets/sw.js");

/// 64-bit FNV-1a of `bytes`, as 16 hex digits: a version, not a secret.
fn version_of(bytes: &[u8]) -> String {
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{hash:016x}")
}

/// One asset: its bytes, type and version.
struct Asset {
    bytes: &'static [u8],
    content_type: &'static str,
    version: OnceLock<String>,
}

impl Asset {
    const fn new(bytes: &'static [u8], content_type: &'static str) -> Asset {
        Asset {
            bytes,
            content_type,
            version: OnceLock::new(),
        }
    }

    fn version(&self) -> &str {
        self.version.get_or_init(|| version_of(self.bytes))
    }

    /// The asset, or 304 when the browser's copy is this version. With the
    /// version in the address: a year, immutable; without: an hour.
    fn answer(&self, query: &HashMap<String, String>, headers: &HeaderMap) -> Response {
        let etag = format!("\"{}\"", self.version());
        let current = query.get("v").is_some_and(|v| v == self.version());
        let cache = if current {
            "public, max-age=31536000, immutable"
        } else {
            "public, max-age=3600"
        };
        let fresh = headers
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.split(',').any(|tag| tag.trim() == etag));
        let mut response = if fresh {
            StatusCode::NOT_MODIFIED.into_response()
        } else {
            ([(header::CONTENT_TYPE, self.content_type)], self.bytes).into_response()
        };
        let h = response.headers_mut();
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
        if let Ok(value) = HeaderValue::from_str(&etag) {
            h.insert(header::ETAG, value);
        }
        response
    }
}

static CSS_ASSET: Asset = Asset::new(CSS.as_bytes(), "text/css; charset=utf-8");
static JS_ASSET: Asset = Asset::new(JS.as_bytes(), "text/javascript; charset=utf-8");
static ICON_ASSET: Asset = Asset::new(ICON.as_bytes(), "image/svg+xml");
static ICON_192_ASSET: Asset = Asset::new(ICON_192, "image/png");
static ICON_512_ASSET: Asset = Asset::new(ICON_512, "image/png");
static MANIFEST_ASSET: OnceLock<Asset> = OnceLock::new();
static SERVICE_WORKER_ASSET: OnceLock<Asset> = OnceLock::new();

fn url(path: &str, asset: &Asset, slot: &'static OnceLock<String>) -> &'static str {
    slot.get_or_init(|| format!("{path}?v={}", asset.version()))
}

/// The stylesheet's address with its version, for the pages' `<link>`.
pub fn css_url() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    url("/static/app.css", &CSS_ASSET, &URL)
}

/// The script's address with its version.
pub fn js_url() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    url("/static/app.js", &JS_ASSET, &URL)
}

/// The SVG icon's address with its version.
pub fn icon_url() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    url("/static/icon.svg", &ICON_ASSET, &URL)
}

type Q = Query<HashMap<String, String>>;

pub async fn css(Query(q): Q, headers: HeaderMap) -> Response {
    CSS_ASSET.answer(&q, &headers)
}

pub async fn js(Query(q): Q, headers: HeaderMap) -> Response {
    JS_ASSET.answer(&q, &headers)
}

pub async fn icon(Query(q): Q, headers: HeaderMap) -> Response {
    ICON_ASSET.answer(&q, &headers)
}

pub async fn icon_192(Query(q): Q, headers: HeaderMap) -> Response {
    ICON_192_ASSET.answer(&q, &headers)
}

pub async fn icon_512(Query(q): Q, headers: HeaderMap) -> Response {
    ICON_512_ASSET.answer(&q, &headers)
}

/// The web app manifest: installable as an app window that opens at `/`
/// (the unlock page after a restart, the check-in while unlocked).
fn manifest_text() -> String {
    let icon = |src: &str, sizes: &str, kind: &str| serde_json::json!({ "src": src, "sizes": sizes, "type": kind, "purpose": "any" });
    serde_json::json!({
        "name": "feltsense",
        "short_name": "feltsense",
        "description": "A private place to notice what you feel, on this computer only.",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#fbfaf7",
        "theme_color": "#1d5fa8",
        "icons": [
            icon(icon_url(), "any", "image/svg+xml"),
            icon(&format!("/static/icon-192.png?v={}", ICON_192_ASSET.version()), "192x192", "image/png"),
            icon(&format!("/static/icon-512.png?v={}", ICON_512_ASSET.version()), "512x512", "image/png"),
        ],
    })
    .to_string()
}

pub async fn manifest(Query(q): Q, headers: HeaderMap) -> Response {
    let asset = MANIFEST_ASSET.get_or_init(|| {
        // Made once per process, so leaking it costs one small allocation.
        let bytes: &'static [u8] = Box::leak(manifest_text().into_bytes().into_boxed_slice());
        Asset::new(bytes, "application/manifest+json")
    });
    asset.answer(&q, &headers)
}

/// The service worker's source: `sw.js` after the addresses of the app
/// shell it keeps (each with its version) and a version of its own, which
/// changes whenever any of them does, so a new build replaces the cache.
fn service_worker_text() -> String {
    let shell = [
        css_url().to_string(),
        js_url().to_string(),
        icon_url().to_string(),
        format!("/static/icon-192.png?v={}", ICON_192_ASSET.version()),
        format!("/static/icon-512.png?v={}", ICON_512_ASSET.version()),
    ];
    let shell = serde_json::to_string(&shell).expect("strings serialise");
    let version = version_of(format!("{shell}{SERVICE_WORKER}").as_bytes());
    format!("const VERSION = \"{version}\";\nconst SHELL = {shell};\n{SERVICE_WORKER}")
}

/// `/sw.js`: registered by `app.js` on the server only (see ARCHITECTURE.md).
pub async fn service_worker(Query(q): Q, headers: HeaderMap) -> Response {
    let asset = SERVICE_WORKER_ASSET.get_or_init(|| {
        // Made once per process, as the manifest.
        let bytes: &'static [u8] = Box::leak(service_worker_text().into_bytes().into_boxed_slice());
        Asset::new(bytes, "text/javascript; charset=utf-8")
    });
    asset.answer(&q, &headers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_version_follows_the_bytes() {
        assert_eq!(version_of(b"a"), version_of(b"a"));
        assert_ne!(version_of(b"a"), version_of(b"b"));
        assert!(css_url().starts_with("/static/app.css?v=") && css_url().len() == 34);
        let manifest: serde_json::Value = serde_json::from_str(&manifest_text()).unwrap();
        assert_eq!(manifest["start_url"], "/");
        assert_eq!(manifest["icons"].as_array().unwrap().len(), 3);
    }

    #[test]
    fn the_service_worker_names_every_shell_asset_at_its_version() {
        let text = service_worker_text();
        for url in [css_url(), js_url(), icon_url()] {
            assert!(text.contains(url), "{url}");
        }
        assert!(text.starts_with("const VERSION = \""));
        assert!(text.contains("/static/icon-192.png?v="));
    }
}
