mod choices;
mod import;

use crate::settings::Settings;
use anyhow::Context as _;
use feltsense_web::Web;
use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The port on 127.0.0.1 (0 picks a free one). Without it: the port
    /// used last time, or 7474 the first time.
    #[arg(long)]
    port: Option<u16>,
    /// Also open the app in the default browser (with a link that works
    /// once, for a minute, unlike the printed one).
    #[arg(long)]
    open: bool,
    /// Start without asking for the passphrase: the browser shows an unlock
    /// page. This is also what happens when there is no terminal to ask on
    /// and FELTSENSE_PASSPHRASE is not set (started at login, say).
    #[arg(long)]
    locked: bool,
    /// Lock after this long without a page asked for, like 15m, 90s or 1h
    /// (default 15m).
    #[arg(long, value_name = "TIME", value_parser = idle_time)]
    auto_lock: Option<std::time::Duration>,
}

/// A time like `15m`, `90s`, `1h` or `20` (minutes), from one second to a day.
fn idle_time(text: &str) -> Result<std::time::Duration, String> {
    let text = text.trim();
    let (number, unit) = match text.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => text.split_at(i),
        None => (text, "m"),
    };
    let seconds = match unit {
        "s" => 1,
        "m" | "min" => 60,
        "h" => 3600,
        _ => return Err(format!("'{text}' is not a time like 15m, 90s or 1h")),
    };
    let n: u64 = number
        .parse()
        .map_err(|_| format!("'{text}' is not a time like 15m, 90s or 1h"))?;
    let total = n * seconds;
    if !(1..=86_400).contains(&total) {
        return Err(format!("'{text}': please choose between 1s and 24h"));
    }
    Ok(std::time::Duration::from_secs(total))
}

/// Whether to start locked: asked for, or nobody to ask.
fn starts_locked(args: &Args) -> bool {
    use std::io::IsTerminal;
    args.locked
        || (!std::io::stdin().is_terminal()
            && std::env::var_os(crate::settings::PASSPHRASE_VAR).is_none())
}

/// The app over the store: open now, or locked until the passphrase is
/// typed on the unlock page; either way it can lock and unlock again.
fn web_app(settings: &Settings, locked: bool) -> anyhow::Result<Web> {
    let path = settings.store_path();
    let opener: feltsense_web::Opener = {
        let path = path.clone();
        Arc::new(move |passphrase: &str| {
            feltsense_store::SqliteStore::open(&path, passphrase)
                .map(|s| Box::new(s) as Box<dyn feltsense_store::Store + Send>)
        })
    };
    if !locked {
        let store = settings.open_or_create_store()?;
        return Ok(Web::new(Box::new(store)).with_opener(opener));
    }
    if !path.exists() {
        return Err(feltsense_store::StoreError::Missing(path).into());
    }
    settings.secure_data_dir()?;
    Ok(Web::locked(opener))
}

/// The first port tried, before one is kept.
const FIRST_PORT: u16 = 7474;

pub fn run(settings: &Settings, args: Args) -> anyhow::Result<()> {
    let locked = starts_locked(&args);
    let (kept_idle, reminders) = choices::from_config(&settings.config);
    let idle = args
        .auto_lock
        .or(kept_idle)
        .unwrap_or(feltsense_web::DEFAULT_IDLE);
    let mut web = web_app(settings, locked)?
        .with_idle_limit(idle)
        .with_reminders(reminders)
        .with_importer(import::importer());
    if let Some(path) = settings.config.path.clone() {
        web = web.keeping_choices(Arc::new(move |c: &feltsense_web::Choices| {
            choices::keep(&path, c).map_err(|e| format!("{e:#}"))
        }));
    }
    let mut address = Address::kept(&settings.data_dir);
    if let Some(port) = args.port {
        address.port = port;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_io()
        .enable_time()
        .build()
        .context("could not start the web server")?;
    runtime.block_on(async {
        let wanted = address.port;
        let listener = bind(wanted)?;
        address.port = listener.local_addr()?.port();
        address.keep(&settings.data_dir)?;
        let web = web
            .with_store_file(settings.store_path())
            .with_country(settings.country.clone())
            .serving_at(address.authority());
        let web = Arc::new(web);
        announce(&address, &web, wanted, locked)?;
        if args.open {
            open_browser(&address.link(&web.one_time_token()));
        }
        feltsense_web::serve(listener, web)
            .await
            .context("the web server stopped")
    })
}

/// Listens on 127.0.0.1 only: on `port`, or on a free one when `port` is 0
/// or busy.
fn bind(port: u16) -> anyhow::Result<tokio::net::TcpListener> {
    if port != 0 {
        if let Ok(listener) = listen(port) {
            return Ok(listener);
        }
    }
    listen(0).context("could not listen on any port of 127.0.0.1")
}

/// A listener with a long queue of connections not yet accepted (as long
/// as the system allows), so a flood of idle connections does not make a
/// person's own wait for the retry of a dropped connection request (1 s).
fn listen(port: u16) -> std::io::Result<tokio::net::TcpListener> {
    let socket = tokio::net::TcpSocket::new_v4()?;
    socket.set_reuseaddr(true)?;
    socket.bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port)))?;
    socket.listen(4096)
}

fn announce(address: &Address, web: &Web, wanted: u16, locked: bool) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    if wanted != 0 && wanted != address.port {
        writeln!(
            out,
            "Port {wanted} was in use, so feltsense now uses port {} (and keeps it for next time).\n",
            address.port
        )?;
    }
    let link = address.link(web.launch_token());
    writeln!(
        out,
        "feltsense is open on this computer only, at:\n\n  {link}\n"
    )?;
    writeln!(
        out,
        "The link opens feltsense once, in one browser; after that, http://{}/ (bookmark it)\n\
         stays open in that browser until feltsense stops. Only someone with the link can see your check-ins.",
        address.authority()
    )?;
    if locked {
        writeln!(
            out,
            "\nfeltsense started locked: http://{}/ shows a page that asks for your passphrase.",
            address.authority()
        )?;
    }
    writeln!(out, "Stop with Ctrl-C.")?;
    out.flush()?;
    Ok(())
}

/// Where the app is served: a random name under `.localhost` (browsers
/// send it to 127.0.0.1 and keep its cookies apart from every other
/// server's) and a port, chosen once and kept in the data directory so a
/// bookmark keeps working across restarts.
struct Address {
    host: String,
    port: u16,
}

impl Address {
    fn file(data_dir: &Path) -> PathBuf {
        data_dir.join("web-address")
    }

    /// The kept address, or a new one if none is kept (or it is unreadable).
    fn kept(data_dir: &Path) -> Address {
        std::fs::read_to_string(Address::file(data_dir))
            .ok()
            .and_then(|text| Address::parse(text.trim()))
            .unwrap_or_else(|| Address {
                host: format!(
                    "feltsense-{}.localhost",
                    &feltsense_web::random_token()[..16]
                ),
                port: FIRST_PORT,
            })
    }

    fn parse(text: &str) -> Option<Address> {
        let (host, port) = text.rsplit_once(':')?;
        let name = host.strip_suffix(".localhost")?;
        let plain = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-';
        (!name.is_empty() && name.len() <= 63 && name.chars().all(plain)).then_some(())?;
        Some(Address {
            host: host.to_string(),
            port: port.parse().ok().filter(|&p| p != 0)?,
        })
    }

    /// Keeps the address (owner-only, like everything in the data directory).
    fn keep(&self, data_dir: &Path) -> anyhow::Result<()> {
        let text = format!("{}\n", self.authority());
        let file = Address::file(data_dir);
        if std::fs::read_to_string(&file).is_ok_and(|kept| kept == text) {
            return Ok(());
        }
        super::write_file_atomically(&file, text.as_bytes())
    }

    fn authority(&self) -> String {
        format!("{}:{}", self.host, self.port)
    }

    fn link(&self, token: &str) -> String {
        format!("http://{}/?token={token}", self.authority())
    }
}

/// Asks the desktop to open the link; quietly does nothing if it cannot.
fn open_browser(link: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    let _ = std::process::Command::new(opener)
        .arg(link)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
}

#[cfg(test)]
mod tests {
    use super::Address;

    #[test]
    fn a_kept_address_is_read_back_and_a_strange_one_is_not() {
        let a = Address::parse("feltsense-0123abcd.localhost:7474").unwrap();
        assert_eq!(a.authority(), "feltsense-0123abcd.localhost:7474");
        for bad in [
            "evil.example:7474",
            "feltsense.localhost:0",
            ".localhost:7474",
            "Feltsense.localhost:7474",
            "a.b.localhost:7474",
            "feltsense.localhost",
            "feltsense.localhost:99999",
        ] {
            assert!(Address::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn the_address_is_kept_across_launches() {
        let dir = std::env::temp_dir().join(format!("feltsense-address-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let first = Address::kept(&dir);
        assert!(first.host.starts_with("feltsense-") && first.host.ends_with(".localhost"));
        first.keep(&dir).unwrap();
        assert_eq!(Address::kept(&dir).authority(), first.authority());
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(Address::file(&dir))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
