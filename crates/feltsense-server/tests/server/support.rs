//! A browser for tests: cookies, the Host and Origin the server expects,
//! a client address (the server is "behind a proxy" here), and instances
//! of the server over the test database and one shared key file.

use axum::body::{to_bytes, Body};
use axum::http::{header, HeaderMap, Request, StatusCode};
use axum::Router;
use feltsense_server::accounts::{second_factor, Invite, Purpose, Role};
use feltsense_server::site::Site;
use feltsense_server::web::{router, Server};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tower::ServiceExt as _;
use uuid::Uuid;

pub const AUTHORITY: &str = "127.0.0.1:8443";
pub const ORIGIN: &str = "http://127.0.0.1:8443";

fn url(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} is not set: these tests need a PostgreSQL; run `eval \"$(scripts/pg.sh start)\"` first")
    })
}

/// The schema, once per test binary (migrations lock, so this is safe).
async fn migrated() {
    static DONE: tokio::sync::OnceCell<()> = tokio::sync::OnceCell::const_new();
    DONE.get_or_init(|| async {
        let (mut client, connection) =
            tokio_postgres::connect(&url("FELTSENSE_OWNER_URL"), tokio_postgres::NoTls)
                .await
                .expect("the owner's URL connects");
        tokio::spawn(connection);
        feltsense_server::db::migrate(&mut client)
            .await
            .expect("the migrations apply");
    })
    .await;
}

/// Servers sharing one database and one key file (as instances behind a
/// load balancer do).
pub struct Cluster {
    /// The server key file its instances share.
    key_file: std::path::PathBuf,
    /// Where a key of its own lives, if it has one.
    _dir: Option<tempfile::TempDir>,
}

impl Cluster {
    /// Every test's instances share one database, so they share one server
    /// key too (as one deployment does): the one pgstore's tests use, kept
    /// beside the throwaway cluster.
    pub async fn new() -> Cluster {
        migrated().await;
        let key_file = std::path::Path::new(&url("FELTSENSE_PG_DIR")).join("test-server.key");
        Cluster {
            key_file,
            _dir: None,
        }
    }

    /// A cluster whose key is made fresh: not the database's.
    pub async fn with_a_key_of_its_own() -> Cluster {
        migrated().await;
        let dir = tempfile::tempdir().unwrap();
        Cluster {
            key_file: dir.path().join("server.key"),
            _dir: Some(dir),
        }
    }

    /// A cluster over `key_file` (a test's own database).
    pub fn with_key_file(key_file: &std::path::Path) -> Cluster {
        Cluster {
            key_file: key_file.to_path_buf(),
            _dir: None,
        }
    }

    pub fn instance(&self) -> Instance {
        self.instance_at(&url("FELTSENSE_DATABASE_URL"))
    }

    pub fn instance_at(&self, database: &str) -> Instance {
        let pool = feltsense_server::serve::pool(database).unwrap();
        let mut site = Site::parse(ORIGIN).unwrap();
        site.behind_proxy = true;
        let server = feltsense_server::serve::server(pool, &self.key_file, site).unwrap();
        Instance {
            router: router(server.clone()),
            server,
        }
    }
}

#[derive(Clone)]
pub struct Instance {
    pub router: Router,
    pub server: Arc<Server>,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// The value of the hidden or text field `name` in the page.
    pub fn field(&self, name: &str) -> String {
        let marker = format!("name=\"{name}\" value=\"");
        let start = self
            .body
            .find(&marker)
            .unwrap_or_else(|| panic!("no field {name} in:\n{}", self.body))
            + marker.len();
        self.body[start..].split('"').next().unwrap().to_string()
    }
}

/// One browser: its cookies and its address.
#[derive(Clone)]
pub struct Browser {
    cookies: Arc<Mutex<HashMap<String, String>>>,
    pub address: String,
}

impl Browser {
    pub fn new() -> Browser {
        let n: u32 = rand_u32();
        Browser {
            cookies: Arc::default(),
            address: format!("10.{}.{}.{}", n % 250, (n >> 8) % 250, (n >> 16) % 250),
        }
    }

    fn cookie_header(&self) -> String {
        let cookies = self.cookies.lock().unwrap();
        cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub async fn get(&self, on: &Instance, path: &str) -> Reply {
        let request = self.request("GET", path).body(Body::empty()).unwrap();
        self.send(on, request).await
    }

    pub async fn post(&self, on: &Instance, path: &str, form: &[(&str, &str)]) -> Reply {
        let body = form
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let request = self
            .request("POST", path)
            .header(header::ORIGIN, ORIGIN)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        self.send(on, request).await
    }

    pub fn request(&self, method: &str, path: &str) -> axum::http::request::Builder {
        Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, AUTHORITY)
            .header("x-forwarded-for", &self.address)
            .header(header::COOKIE, self.cookie_header())
    }

    pub async fn send(&self, on: &Instance, request: Request<Body>) -> Reply {
        let response = on.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        self.keep_cookies(&headers);
        let bytes = to_bytes(response.into_body(), 10 << 20).await.unwrap();
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    fn keep_cookies(&self, headers: &HeaderMap) {
        let mut cookies = self.cookies.lock().unwrap();
        for value in headers.get_all(header::SET_COOKIE) {
            let text = value.to_str().unwrap();
            let pair = text.split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            if value.is_empty() || text.contains("Max-Age=0") {
                cookies.remove(name);
            } else {
                cookies.insert(name.to_string(), value.to_string());
            }
        }
    }

    /// Signs in with a password only (accounts without a second factor).
    pub async fn sign_in(&self, on: &Instance, email: &str, password: &str) -> Reply {
        let page = self.get(on, "/login").await;
        let csrf = page.field("csrf");
        self.post(
            on,
            "/login",
            &[("csrf", &csrf), ("email", email), ("password", password)],
        )
        .await
    }

    /// The session's CSRF token, from a page that carries it.
    pub async fn csrf(&self, on: &Instance) -> String {
        self.get(on, "/account/sessions").await.field("csrf")
    }
}

pub fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub fn rand_u32() -> u32 {
    let mut bytes = [0u8; 4];
    getrandom::fill(&mut bytes).unwrap();
    u32::from_le_bytes(bytes)
}

pub const PASSWORD: &str = "a long enough password";

/// A fresh email no other test uses.
pub fn email(who: &str) -> String {
    format!("{who}-{}@example.org", Uuid::now_v7().simple())
}

/// An account made through its invite link, signed in in `browser`.
/// Staff set up a second factor (its secret is returned); persons do not.
pub async fn invited(
    on: &Instance,
    browser: &Browser,
    tenant: Uuid,
    role: Role,
    email: &str,
) -> Option<Vec<u8>> {
    let purpose = if role == Role::Admin {
        Purpose::Setup
    } else {
        Purpose::Invite
    };
    let invite = Invite {
        tenant,
        purpose,
        role,
        email: email.to_string(),
        account: None,
    };
    let token = on
        .server
        .accounts
        .issue(&invite, None, "test")
        .await
        .unwrap();
    let path = format!("{}{token}", purpose.path());
    let page = browser.get(on, &path).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let csrf = page.field("csrf");
    let sealed = page.field("factor");
    let secret = role
        .is_staff()
        .then(|| on.server.accounts.open_from_form(&sealed).unwrap());
    let code = secret
        .as_ref()
        .map(|s| second_factor::current(s, now()))
        .unwrap_or_default();
    let form = [
        ("csrf", csrf.as_str()),
        ("display_name", "Sam"),
        ("password", PASSWORD),
        ("password_again", PASSWORD),
        ("factor", &sealed),
        ("code", &code),
    ];
    let done = browser.post(on, &path, &form).await;
    assert!(
        done.status.is_success() || done.status.is_redirection(),
        "{}: {}",
        done.status,
        done.body
    );
    secret
}

pub fn now() -> u64 {
    chrono::Utc::now().timestamp() as u64
}

/// The database as the app role, for what tests look at directly.
pub async fn database() -> tokio_postgres::Client {
    let (client, connection) =
        tokio_postgres::connect(&url("FELTSENSE_DATABASE_URL"), tokio_postgres::NoTls)
            .await
            .unwrap();
    tokio::spawn(connection);
    client
}
