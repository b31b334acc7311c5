use crate::settings::Settings;
use anyhow::Context as _;
use feltsense_web::Web;
use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 7474)]
    port: u16,
    /// Also open the link in the default browser.
    #[arg(long)]
    open: bool,
}

pub fn run(settings: &Settings, args: Args) -> anyhow::Result<()> {
    let store = settings.open_or_create_store()?;
    let web = Arc::new(Web::new(Box::new(store)).with_country(settings.country.clone()));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_io()
        .build()
        .context("could not start the web server")?;
    runtime.block_on(async {
        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, args.port));
        let listener = tokio::net::TcpListener::bind(address)
            .await
            .with_context(|| {
                format!(
                    "could not listen on 127.0.0.1:{}; another program may use it (try --port 0)",
                    args.port
                )
            })?;
        let port = listener.local_addr()?.port();
        let link = format!("http://127.0.0.1:{port}/?token={}", web.session_token());
        let mut out = std::io::stdout().lock();
        writeln!(
            out,
            "feltsense is open on this computer only, at:\n\n  {link}\n"
        )?;
        writeln!(
            out,
            "The link holds a secret for this launch: only someone with it can see your check-ins."
        )?;
        writeln!(out, "Stop with Ctrl-C.")?;
        out.flush()?;
        drop(out);
        if args.open {
            open_browser(&link);
        }
        feltsense_web::serve(listener, web)
            .await
            .context("the web server stopped")
    })
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
